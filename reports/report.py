#!/usr/bin/python3
"""scripts/report's implementation: reads a results directory and writes its HTML page."""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from wbreport import render, results  # noqa: E402
from wbreport.errors import ReportError  # noqa: E402


def main(argv):
    parser = argparse.ArgumentParser(
        prog="scripts/report",
        description="Writes one self-contained HTML page for a results directory written by scripts/sweep: "
        "provenance and warnings, throughput tables (median, min to max, n/a reasons), and links to the raw JSON. "
        "Nothing is written if any input is bad.",
    )
    parser.add_argument("results_dir", metavar="RESULTS_DIR", help="a directory written by scripts/sweep (results/<time>-<sha>)")
    parser.add_argument("--out", metavar="FILE", help="where to write the page (default: RESULTS_DIR/report/index.html)")
    args = parser.parse_args(argv)
    out = Path(args.out) if args.out else Path(args.results_dir) / "report" / "index.html"
    try:
        loaded = results.load(args.results_dir)
        html = render.page(loaded)
    except ReportError as e:
        print(f"report: {e}", file=sys.stderr)
        print("report: no page written", file=sys.stderr)
        return 1
    render.write_atomically(out, html)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
