"""Section 6: the model-check matrix (implementation x scenario) with the seeded bugs found out of
seeded, and the stress summary, when the sweep ran them (scripts/sweep --correctness)."""

from dataclasses import dataclass
from pathlib import PurePath


@dataclass
class CheckCell:
    result: str      # passed / failed / ... as wb_modelcheck reports it
    ok: bool
    iterations: int
    seconds: float
    history: str | None  # link, relative to the page, to the failing interleaving's history


def _history_link(path):
    """wb_modelcheck writes absolute paths; the history lives next to modelcheck.json in the run."""
    if not path:
        return None
    parts = PurePath(path).parts
    if "modelcheck-history" in parts:
        return "../" + "/".join(parts[parts.index("modelcheck-history"):])
    return None


def modelcheck_matrix(doc, order):
    """(scenarios, [(impl, [CheckCell or None per scenario])], seeded rows) from wb_modelcheck --json, the
    implementations in order (the results' ordering.ImplOrder)."""
    checks = [r for r in doc["records"] if r.get("kind") == "check"]
    scenarios = sorted({r["scenario"] for r in checks})
    impls = sorted({r["impl"] for r in checks}, key=order.key)
    cells = {(r["impl"], r["scenario"]): CheckCell(r.get("result", "?"), bool(r.get("ok")), int(r.get("iterations", 0)),
                                                   float(r.get("seconds", 0)), _history_link(r.get("history"))) for r in checks}
    matrix = [(impl, [cells.get((impl, s)) for s in scenarios]) for impl in impls]
    seeded = [(r["impl"], r["scenario"], r.get("fault"), r.get("result", "?"), bool(r.get("ok")), _history_link(r.get("history")))
              for r in doc["records"] if r.get("kind") == "seeded_bug"]
    return scenarios, matrix, seeded
