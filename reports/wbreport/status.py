"""The status block under the decision box: whether the correctness instruments ran and passed,
whether the exact counts ran and repeat, what about this machine and run a reader must know before
trusting a number, and the one command that reproduces the run."""

from dataclasses import dataclass

from .exact_counts import status_line
from .provenance import revision, warnings
from .render_helpers import si

HOW_TO_RUN = "scripts/sweep --correctness"


@dataclass
class Line:
    label: str
    text: str
    ok: bool | None  # None: not run, so neither passed nor failed


@dataclass
class Status:
    correctness: list  # [Line]
    counts: Line       # the count step: ran (ok: every instruction count exact), or skipped and why
    caveats: list      # sentences (provenance.warnings)
    command: str       # the command that reproduces the run ("unknown" if env.json has none)
    note: str | None   # what keeps the command from reproducing the run exactly, if anything


def _modelcheck(doc):
    if not doc:
        return Line("model checks", f"not run with this sweep ({HOW_TO_RUN} runs them)", None)
    s = doc.get("summary") or {}
    passed, failed = s.get("checks_passed", 0), s.get("checks_failed", 0)
    found, seeded = s.get("seeded_bugs_found", 0), s.get("seeded_bugs", 0)
    return Line("model checks", f"{passed} checks passed, {failed} failed; seeded bugs found: {found} of {seeded}",
                failed == 0 and found == seeded)


def _stress(doc, files):
    if not doc:
        if "stress.log" in files:
            return Line("stress", "ran but wrote no summary: it hung or crashed (stress.log has the seed and the replay command)", False)
        return Line("stress", f"not run with this sweep ({HOW_TO_RUN} runs it)", None)
    rows = doc.get("rows") or []
    items = sum(r.get("items_checked", 0) for r in rows)
    runs = sum(r.get("runs", 0) for r in rows)
    failures = sum(r.get("failures", 0) for r in rows)
    rows_text = f"{len(rows)} implementation" + ("" if len(rows) == 1 else "s")
    return Line("stress", f"{si(items)} items checked exactly once and in order in {runs} randomized runs over {rows_text}; "
                          f"{failures} failures", failures == 0)


def status(results):
    env = results.env
    git = env.get("git") or {}
    command, rev = env.get("command"), git.get("revision")
    if not command:
        note = f"env.json records no command; revision {revision(env)}"
    elif not rev:
        note = f"revision {revision(env)}: check out the one that ran first"
    elif git.get("dirty"):
        note = f"revision {revision(env)}: the tree was dirty, so the checkout is not exactly what ran"
    else:
        note = None
    return Status(correctness=[_modelcheck(results.modelcheck), _stress(results.stress, results.files)],
                  counts=Line("exact counts", *status_line(results)),
                  caveats=warnings(results),
                  command=f"git checkout {rev} && {command}" if command and rev else (command or "unknown"),
                  note=note)
