"""Number formatting shared by the tables and the charts: each also a filter of the page template."""


def si(value):
    """12345678 -> '12.3M': three significant figures with an SI suffix."""
    for factor, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= factor:
            return f"{value / factor:.3g}{suffix}"
    return f"{value:.3g}"


def duration(ns):
    """A time in nanoseconds with the unit that keeps it short: 38.7 ns, 32.8 µs, 1.23 ms, 2.5 s."""
    for factor, unit in ((1e9, "s"), (1e6, "ms"), (1e3, "µs")):
        if abs(ns) >= factor:
            return f"{ns / factor:.3g} {unit}"
    return f"{ns:.3g} ns"


def count(value):
    """A per-message or per-operation count: three significant figures, 0 as 0."""
    return f"{value:.3g}"


def byte_count(value):
    """Bytes held, exact: 98,304 B."""
    return f"{value:,.0f} B"


# How a table column of each kind shows its numbers (waiting.COLUMNS names the kind).
FORMATS = {"duration": duration, "count": count, "rate": si}
