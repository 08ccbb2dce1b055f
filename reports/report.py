#!/usr/bin/python3
"""scripts/report's implementation: reads a results directory and writes its HTML page."""

import argparse
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# Only the standard library here: the modules that read and render (and need jinja2, matplotlib,
# numpy, scipy) are imported after the arguments are parsed (import_readers).
from wbreport import destination  # noqa: E402
from wbreport.errors import ReportError  # noqa: E402

# --count-tolerance's default, in percent: baseline.COUNT_TOLERANCE (baseline.py needs numpy, so it is not
# imported before the arguments are parsed; test_baseline checks the two agree).
DEFAULT_COUNT_TOLERANCE = 1.0


class MissingPackage(Exception):
    """A package wbreport imports is not installed (Debian names each of them python3-<name>)."""

    def __init__(self, name):
        super().__init__(f"the Python package '{name}' is missing (Debian: python3-{name}); run scripts/setup")


def import_readers():
    """wbreport's baseline, render and results modules, imported now rather than at the top, so that
    --help and a usage error work without the packages they import, and a missing one is named
    (MissingPackage) rather than a traceback."""
    try:
        from wbreport import baseline, render, results
    except ModuleNotFoundError as e:
        missing = (e.name or "").partition(".")[0]
        if not missing or missing == "wbreport":
            raise  # a module of the report's own: a broken checkout, not a package to install
        raise MissingPackage(missing) from None
    return baseline, render, results


def percentage(text):
    """--fail-on-regression's and --count-tolerance's PCT: float() takes nan and inf, and a NaN compares
    false with everything, which turned the gate off."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"'{text}' is not a percentage: give a finite number of 0 or more")
    return value


def main(argv):
    parser = argparse.ArgumentParser(
        prog="scripts/report",
        description="Writes one self-contained HTML page for a results directory written by scripts/sweep: "
        "provenance, verdict, throughput charts and tables, the wait path (wait-list microbenchmarks, workloads where waiting dominates, "
        "and the exact counts of the single-threaded points beside their times), "
        "allocations, correctness, the change against a baseline (timed and counted), and links to the raw JSON. "
        "Nothing is written if any input is bad. Exit status: 0 page written; 1 bad input (no page); 2 bad command line; "
        "3 page written and --fail-on-regression found a regression; 4 page written and --fail-on-regression could not judge the timed "
        "comparison.",
    )
    parser.add_argument("results_dir", metavar="RESULTS_DIR", help="a directory written by scripts/sweep (results/<time>-<sha>)")
    parser.add_argument("--out", metavar="FILE", help="where to write the page (default: RESULTS_DIR/report/index.html)")
    parser.add_argument("--baseline", metavar="DIR", help="another results directory to compare against, benchmark by benchmark")
    parser.add_argument("--fail-on-regression", metavar="PCT", type=percentage,
                        help="with --baseline: exit 3 if any benchmark regressed significantly (its bootstrap interval excludes no change after Holm's correction over every benchmark compared) by more than PCT percent, "
                        "or if any counted point's instructions rose by more than the count tolerance (whatever the repetitions: a count needs none); "
                        "exit 4 if neither did but the timed comparison could not have shown a regression (fewer than 5 repetitions on a side, or no benchmark in common)")
    parser.add_argument("--count-tolerance", metavar="PCT", type=percentage,
                        help="with --baseline: a counted point whose instructions per operation or message rose (fell) by more than PCT percent "
                        "is regressed (improved); default 1. Counts are compared only if both runs were counted with the same callgrind options")
    args = parser.parse_args(argv)
    if args.fail_on_regression is not None and (args.baseline is None or args.fail_on_regression < 0):
        parser.error("--fail-on-regression PCT needs --baseline DIR and a PCT of 0 or more")
    if args.count_tolerance is not None and (args.baseline is None or args.count_tolerance < 0):
        parser.error("--count-tolerance PCT needs --baseline DIR and a PCT of 0 or more")
    count_tolerance = DEFAULT_COUNT_TOLERANCE if args.count_tolerance is None else args.count_tolerance
    out = Path(args.out) if args.out else Path(args.results_dir) / "report" / "index.html"
    try:
        baseline, render, results = import_readers()
        destination.check_writable(out)
        loaded = results.load(args.results_dir)
        comparison = baseline.compare(loaded, results.load(args.baseline), count_tolerance / 100) if args.baseline else None
        html = render.page(loaded, comparison)
        destination.write_atomically(out, html)
    except (MissingPackage, ReportError) as e:
        print(f"report: {e}", file=sys.stderr)
        print("report: no page written", file=sys.stderr)
        return 1
    print(out)
    if comparison and args.fail_on_regression is not None:
        worst = comparison.worst_significant_regression()
        if worst * 100 > args.fail_on_regression:
            print(f"report: a benchmark regressed significantly by {worst:.1%}, more than the {args.fail_on_regression:g}% allowed "
                  f"(the page lists it under 7. Against a baseline)", file=sys.stderr)
            return 3
        if counted := comparison.counts.worst_regression():
            others = len(comparison.counts.of("regressed")) - 1
            print(f"report: counted instructions regressed: {counted.name} executes {counted.change:.2%} more instructions per {counted.unit} "
                  f"({counted.old.instr:,.2f} -> {counted.new.instr:,.2f}), more than the {count_tolerance:g}% allowed (--count-tolerance)"
                  + (f", and {others} more point{'s' if others > 1 else ''} regressed" if others else "")
                  + " (the page lists them under 7. Against a baseline)", file=sys.stderr)
            return 3
        if blind := comparison.why_blind():
            print(f"report: --fail-on-regression cannot judge: {blind}; failing closed (the page is written)", file=sys.stderr)
            return 4
    return 0


# Exit status: 0 page written; 1 bad input, a destination that cannot be written or a missing package (no page
# written); 2 bad command line; 3 page written, and
# --fail-on-regression found a significant regression beyond PCT, or a counted point whose instructions rose
# beyond the count tolerance (whatever the repetitions); 4 page written, and
# --fail-on-regression could not judge the timed comparison (too few repetitions, nothing compared): a gate that
# cannot fail must not pass.

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
