#!/usr/bin/python3
"""Checks a count JSON (scripts/count) against facts that hold on any machine, without one fixed
number, so the counting instrument itself is checked on every CI run:

  - the counting processes agree in every event at every point (counts repeat exactly);
  - link_take_wake and link_cancel_middle: vec's instructions per op grow with the number of
    waiters (a wake-all list wakes all N, a vector erases by scanning), intrusive's do not (within
    1%: O(1) link, take and unlink);
  - link_take_wake: intrusive executes fewer instructions than parking_lot at every N (the same
    node in the waiter, but parking_lot hashes the list's address to a bucket and takes its lock);
  - churnN, sync: vec's instructions per message at N = 1024 are over ten times those at 16,
    intrusive's within 1% of them;
  - the traced malloc+free pair executes more instructions than the untraced one (the tracer
    counts it).

usage: check_relations.py COUNT_JSON            exit 0 if every fact holds, 1 with each that does not
       check_relations.py --selftest COUNT_JSON  plants one fault at a time in a copy of the data and
                                                exits 1 unless every fault is caught
       check_relations.py --same PART_JSON COUNT_JSON
                                                every point of PART (counted in another selection)
                                                has the same totals in COUNT: a point's counts do
                                                not depend on what else was counted (zygote.hpp);
                                                proven able to fail on a copy with one total off by one
A fact whose points are missing from the file fails too: a check that checked nothing fails.
Standard library only.
"""

import copy
import json
import sys

NS = (1, 16, 256)
FLAT = 0.01  # "does not grow": within 1%


def figures(doc):
    """{name: [its counted entry in each process]}."""
    by_name = {}
    for b in doc["benchmarks"]:
        if "total_Ir" in b:
            by_name.setdefault(b["name"], []).append(b)
    return by_name


def totals(entry):
    """callgrind's region totals of one counted entry (every event)."""
    return {k: v for k, v in entry.items() if k.startswith("total_")}


def instr(by_name, name):
    rows = by_name.get(name)
    if not rows:
        raise LookupError(f"{name} was not counted")
    return rows[0].get("instr_per_op", rows[0].get("instr_per_msg"))


def waitlist(strategy, op, n):
    return f"waitlist/{strategy}/op:{op}/waiters:{n}"


def churn(impl, n):
    return f"churn{n}/{impl}/cap:unbounded/batch:1/payload:u64/mode:sync"


def facts(by_name):
    """[(fact, holds)]; a fact whose points are missing is a failure, not a skip."""
    out = []

    def fact(text, test):
        try:
            out.append((text, bool(test())))
        except LookupError as e:
            out.append((f"{text} ({e})", False))

    def repeats():
        if not by_name:
            raise LookupError("no point was counted")
        for name, rows in by_name.items():
            if len(rows) < 2:
                raise LookupError(f"{name} was counted in one process only")
            if any(totals(r) != totals(rows[0]) for r in rows):
                return False
        return True

    fact("every point's counts agree exactly in every process", repeats)
    for op in ("link_take_wake", "link_cancel_middle"):
        fact(f"{op}: vec grows with N",
             lambda op=op: all(instr(by_name, waitlist("vec", op, a)) < instr(by_name, waitlist("vec", op, b)) for a, b in zip(NS, NS[1:])))
        fact(f"{op}: intrusive does not grow with N",
             lambda op=op: max(instr(by_name, waitlist("intrusive", op, n)) for n in NS) <=
             (1 + FLAT) * min(instr(by_name, waitlist("intrusive", op, n)) for n in NS))
    fact("link_take_wake: intrusive counts fewer instructions than parking_lot at every N",
         lambda: all(instr(by_name, waitlist("intrusive", "link_take_wake", n)) < instr(by_name, waitlist("parking_lot", "link_take_wake", n))
                     for n in NS))
    fact("churn, sync: vec at 1024 waiters over ten times vec at 16",
         lambda: instr(by_name, churn("vec", 1024)) > 10 * instr(by_name, churn("vec", 16)))
    fact("churn, sync: intrusive at 1024 waiters within 1% of intrusive at 16",
         lambda: abs(instr(by_name, churn("intrusive", 1024)) / instr(by_name, churn("intrusive", 16)) - 1) <= FLAT)
    fact("tracer: the traced pair executes more instructions than the untraced one",
         lambda: instr(by_name, "tracer_overhead/malloc_free/traced") > instr(by_name, "tracer_overhead/malloc_free/untraced"))
    return out


def check(doc):
    results = facts(figures(doc))
    for text, holds in results:
        print(f"{'ok' if holds else 'FAILED'}: {text}")
    return all(holds for _, holds in results)


# Faults planted one at a time: (what, the fact that must catch it, how to plant it in a copy).
def _scale(names, factor, process=None):
    def plant(doc):
        for b in doc["benchmarks"]:
            if b["name"] in names and "total_Ir" in b and (process is None or b["repetition_index"] == process):
                for key in [k for k in b if k.startswith("instr_per_")]:
                    b[key] *= factor
                b["total_Ir"] = int(b["total_Ir"] * factor)
    return plant


def _drop(prefix):
    def plant(doc):
        doc["benchmarks"] = [b for b in doc["benchmarks"] if not b["name"].startswith(prefix)]
    return plant


FAULTS = [
    ("one process counts 1% more instructions at one point", "agree exactly",
     _scale({waitlist("slab", "link_take_wake", 16)}, 1.01, process=1)),
    ("vec's link_take_wake stops growing at 256 waiters", "link_take_wake: vec grows",
     _scale({waitlist("vec", "link_take_wake", 256)}, 0.001)),
    ("intrusive's link_cancel_middle grows with N (an O(n) unlink)", "link_cancel_middle: intrusive does not grow",
     _scale({waitlist("intrusive", "link_cancel_middle", 256)}, 3)),
    ("intrusive's link_take_wake costs 10 times more at every N", "fewer instructions than parking_lot",
     _scale({waitlist("intrusive", "link_take_wake", n) for n in NS}, 10)),
    ("intrusive's churn at 1024 waiters costs 5% more than at 16", "intrusive at 1024 waiters within 1%",
     _scale({churn("intrusive", 1024)}, 1.05)),
    ("the tracer costs nothing", "the traced pair", _scale({"tracer_overhead/malloc_free/traced"}, 0.5)),
    ("the churn points were not counted", "vec at 1024 waiters over ten times", _drop("churn")),
]


def selftest(doc):
    if not check(doc):
        print("selftest: the unplanted data already fails; nothing to prove")
        return False
    caught_all = True
    for what, catcher, plant in FAULTS:
        broken = copy.deepcopy(doc)
        plant(broken)
        caught = any(catcher in text and not holds for text, holds in facts(figures(broken)))
        print(f"{'caught' if caught else 'MISSED'}: {what} (by the fact '...{catcher}...')")
        caught_all &= caught
    return caught_all


def differences(part, whole):
    """Points of `part` whose totals differ from `whole`'s, or are missing from it; (part empty: one)."""
    a, b = figures(part), figures(whole)
    if not a:
        return ["no point was counted in the part"]
    return [name for name, rows in a.items() if name not in b or totals(rows[0]) != totals(b[name][0])]


def same(part, whole):
    diff = differences(part, whole)
    print(f"{'FAILED' if diff else 'ok'}: {len(figures(part))} points counted apart have the same counts in the larger selection"
          + (f"; not: {', '.join(diff)}" if diff else ""))
    broken = copy.deepcopy(part)
    first = next(b for b in broken["benchmarks"] if "total_Ir" in b)
    first["total_Ir"] += 1
    caught = bool(differences(broken, whole))
    print(f"{'caught' if caught else 'MISSED'}: one instruction more at {first['name']}")
    return not diff and caught


def main(argv):
    load = lambda path: json.load(open(path, encoding="utf-8"))  # noqa: E731
    if len(argv) == 3 and argv[0] == "--same":
        return 0 if same(load(argv[1]), load(argv[2])) else 1
    if len(argv) not in (1, 2) or (len(argv) == 2 and argv[0] != "--selftest"):
        print(__doc__, file=sys.stderr)
        return 2
    doc = load(argv[-1])
    ok = selftest(doc) if argv[0] == "--selftest" else check(doc)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
