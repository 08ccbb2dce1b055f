"""Number formatting shared by the tables and the charts."""


def si(value):
    """12345678 -> '12.3M': three significant figures with an SI suffix."""
    for factor, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= factor:
            return f"{value / factor:.3g}{suffix}"
    return f"{value:.3g}"
