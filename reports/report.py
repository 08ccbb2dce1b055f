#!/usr/bin/python3
"""scripts/report's implementation: reads a results directory and writes its HTML page."""

import argparse
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from wbreport import baseline, destination, render, results  # noqa: E402
from wbreport.errors import ReportError  # noqa: E402


def percentage(text):
    """--fail-on-regression's PCT: float() takes nan and inf, and a NaN compares false with everything,
    which turned the gate off."""
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
        "provenance, verdict, throughput charts and tables, the wait path (wait-list microbenchmarks, workloads where waiting dominates), "
        "allocations, correctness, the change against a baseline, and links to the raw JSON. "
        "Nothing is written if any input is bad.",
    )
    parser.add_argument("results_dir", metavar="RESULTS_DIR", help="a directory written by scripts/sweep (results/<time>-<sha>)")
    parser.add_argument("--out", metavar="FILE", help="where to write the page (default: RESULTS_DIR/report/index.html)")
    parser.add_argument("--baseline", metavar="DIR", help="another results directory to compare against, benchmark by benchmark")
    parser.add_argument("--fail-on-regression", metavar="PCT", type=percentage,
                        help="with --baseline: exit 3 if any benchmark regressed significantly (its bootstrap interval excludes no change after Holm's correction over every benchmark compared) by more than PCT percent; "
                        "exit 4 if none did but the comparison could not have shown one (fewer than 5 repetitions on a side, or no benchmark in common)")
    args = parser.parse_args(argv)
    if args.fail_on_regression is not None and (args.baseline is None or args.fail_on_regression < 0):
        parser.error("--fail-on-regression PCT needs --baseline DIR and a PCT of 0 or more")
    out = Path(args.out) if args.out else Path(args.results_dir) / "report" / "index.html"
    try:
        destination.check_writable(out)
        loaded = results.load(args.results_dir)
        comparison = baseline.compare(loaded, results.load(args.baseline)) if args.baseline else None
        html = render.page(loaded, comparison)
        destination.write_atomically(out, html)
    except ReportError as e:
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
        if blind := comparison.why_blind():
            print(f"report: --fail-on-regression cannot judge: {blind}; failing closed (the page is written)", file=sys.stderr)
            return 4
    return 0


# Exit status: 0 page written; 1 bad input (no page written); 2 bad command line; 3 page written, and
# --fail-on-regression found a significant regression beyond PCT; 4 page written, and
# --fail-on-regression could not judge (too few repetitions, nothing compared): a gate that cannot
# fail must not pass.

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
