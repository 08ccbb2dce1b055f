#!/usr/bin/python3
"""Shows how far a sweep is while one benchmark executable writes its console log.

scripts/sweep starts the executable with its console output going to LOG, then starts this
program, which follows LOG (it never writes to it) and prints "k of n" with an estimate of the
time left, until the executable's process (--pid) has exited and LOG is read to the end.

k counts distinct benchmarks that have reported (aggregate lines `<name>_mean` etc. and skipped
ones, `<name>  ERROR OCCURRED: '...'`, both count), matched against NAMES, the output of
--benchmark_list_tests for the same filter. --done-before and --total make k and n span both
executables of the sweep; --start is when the first one started, so the estimate
(elapsed / k * (n - k)) covers the whole sweep.

With --ticks and --repetitions (random interleaving: a benchmark reports only once its last
repetition, in random order, has run, so k stays near 0 until late), the estimate comes instead
from the executable's ticks, one byte appended to the --ticks file after every run of a benchmark's
body (bench/progress.hpp): a share of (done before + k) x repetitions, shown as "~P%" and capped
at 99% until every benchmark has reported (the first repetition's iteration-count estimate ticks
too, so the share runs a little ahead).

On a terminal the status is one line rewritten in place; otherwise a line every --interval
seconds. An error that is not an "n/a:" skip is printed as soon as it appears.
Standard library only; run with Debian's /usr/bin/python3.
"""

import argparse
import os
import re
import shutil
import signal
import sys
import time

AGGREGATE = re.compile(r"_(mean|median|stddev|cv)$")
ANY_SUFFIX = re.compile(r"_[^_/]+$")  # a user-defined statistic, e.g. _max
ERROR = re.compile(r"ERROR OCCURRED: '(.*)'\s*$")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--log", required=True, help="console log the benchmark executable writes")
    p.add_argument("--names", required=True, help="file with its --benchmark_list_tests output")
    p.add_argument("--pid", type=int, required=True, help="process id of the benchmark executable")
    p.add_argument("--label", required=True, help="what to call this run, e.g. system")
    p.add_argument("--done-before", type=int, default=0, help="benchmarks finished by earlier runs")
    p.add_argument("--total", type=int, required=True, help="benchmarks in the whole sweep")
    p.add_argument("--start", type=float, required=True, help="when the sweep's first run started (epoch s)")
    p.add_argument("--ticks", help="file the executable appends a byte to after each run of a benchmark (WAKERBENCH_PROGRESS_FILE)")
    p.add_argument("--repetitions", type=int, default=1, help="repetitions per benchmark (with --ticks)")
    p.add_argument("--interval", type=float, default=10.0, help="seconds between lines when not on a terminal")
    return p.parse_args()


def running(pid):
    """True while pid exists and is not a zombie (exited, waiting to be reaped)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return False
    # The state follows the parenthesised command name, which may itself hold spaces or ')'.
    return stat[stat.rindex(b")") + 2:][:1] not in (b"Z", b"X")


def clock(seconds):
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class Progress:
    def __init__(self, args, names):
        self.args = args
        self.names = names
        self.short = {self.strip_time(n): n for n in names}
        self.seen = set()
        self.errors = set()  # (name, message) already shown: each repetition reports it again
        self.last = ""
        self.tty = sys.stdout.isatty()

    @staticmethod
    def strip_time(name):
        return re.sub(r"/(manual_time|real_time)$", "", name)

    def match(self, token):
        """The listed name a console line's first word reports on, or None."""
        for candidate in (token, AGGREGATE.sub("", token), ANY_SUFFIX.sub("", token)):
            if candidate in self.names:
                return candidate
            full = self.short.get(self.strip_time(candidate))
            if full is not None:
                return full
        return None

    def feed(self, line):
        words = line.split(None, 1)
        if not words:
            return
        name = self.match(words[0])
        if name is None:
            return
        if name not in self.seen:
            self.seen.add(name)
            self.last = self.strip_time(name)
        err = ERROR.search(line)
        if err and not err.group(1).startswith("n/a:") and (name, err.group(1)) not in self.errors:
            self.errors.add((name, err.group(1)))
            self.emit(f"  ! {self.args.label}: {words[0]}: {err.group(1)}", final=True)

    def ticks(self):
        """Runs of benchmark bodies so far (the --ticks file's size), or None without --ticks."""
        if not self.args.ticks:
            return None
        try:
            return os.path.getsize(self.args.ticks)
        except OSError:
            return 0

    def share(self):
        """(fraction of the sweep done, whether it is an estimate from ticks)."""
        a = self.args
        n = max(a.total, 1)
        k = a.done_before + len(self.seen)
        ticks = self.ticks()
        if ticks is None or k >= a.total:
            return k / n, False
        r = max(a.repetitions, 1)
        return min((a.done_before * r + ticks) / (n * r), 0.99), True

    def status(self):
        a = self.args
        k = a.done_before + len(self.seen)
        elapsed = time.time() - a.start
        share, estimated = self.share()
        if share <= 0:
            left = "estimating"
        elif k >= a.total:
            left = "0:00 left"
        else:
            left = "~" + clock(elapsed / share * (1 - share)) + " left"
        pct = f"{'~' if estimated else ''}{100.0 * share:.0f}%"
        return f"[{k:>{len(str(a.total))}}/{a.total} {pct:>4}] {a.label}, {clock(elapsed)} elapsed, {left}" + (
            f": {self.last}" if self.last else "")

    def emit(self, text, final=False):
        """Prints a line; on a terminal a non-final one is rewritten by the next."""
        if self.tty:
            if not final:
                text = text[: max(shutil.get_terminal_size().columns - 1, 20)]
            sys.stdout.write("\r\033[K" + text + ("\n" if final else ""))
        else:
            sys.stdout.write(text + "\n")
        sys.stdout.flush()


def main():
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with open(args.names, encoding="utf-8", errors="replace") as f:
        names = {line.strip() for line in f if line.strip()}
    progress = Progress(args, names)

    # The executable creates LOG through the shell's redirection before we start; wait if not.
    while not os.path.exists(args.log):
        if not running(args.pid):
            return 0
        time.sleep(0.1)

    pending = b""
    last_print = 0.0
    shown = -1
    with open(args.log, "rb") as log:
        while True:
            alive = running(args.pid)  # checked before reading: what it wrote before exiting is read below
            chunk = log.read()
            if chunk:
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for raw in lines:
                    progress.feed(raw.decode("utf-8", "replace"))
            if not alive:
                break
            now = time.time()
            count = (len(progress.seen), progress.ticks())
            if progress.tty:
                if (count != shown and now - last_print >= 0.25) or now - last_print >= 1.0:
                    progress.emit(progress.status())
                    last_print, shown = now, count
            elif now - last_print >= args.interval:
                progress.emit(progress.status())
                last_print = now
            time.sleep(0.2)
    if pending:
        progress.feed(pending.decode("utf-8", "replace"))
    progress.emit(progress.status(), final=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
