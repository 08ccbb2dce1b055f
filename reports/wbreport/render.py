"""Renders the page from the model (jinja2, Debian's python3-jinja2); destination.py writes it."""

from pathlib import Path

import jinja2

from . import (allocations, allocator_ratio, correctness, count_orders, decision, exact_counts, harness_cost, peers, provenance, scaling,
               status, throughput, verdict, waiting, waitlists)
from .counts import FIGURE_NAMES, HEADINGS, per_unit
from .render_helpers import FORMATS, byte_count, duration, si
from .stats import MIN_TRUSTED_REPETITIONS
from .stats import median as stats_median

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def page(results, comparison=None):
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters.update(si=si, duration=duration, byte_count=byte_count, median=stats_median, per_unit=per_unit)
    order = results.impl_order
    # formats: a column's kind -> how its numbers are shown; baselines and peers in the page's order
    env.globals.update(formats=FORMATS, si=si, duration=duration, missing=throughput.missing,
                       baselines=sorted(results.baselines, key=order.key), peers=sorted(results.peers, key=order.key),
                       count_headings=HEADINGS, figure_names=FIGURE_NAMES, instr_difference=count_orders.INSTR_DIFFERENCE)
    preset = results.env.get("preset") or {}
    first, _ = throughput.first_run(results)
    return env.get_template("report.html.j2").render(
        title=results.directory.name,
        decision=decision.box(results),
        status=status.status(results),
        provenance=provenance.rows(results),
        harness_cost=harness_cost.analyse(results),
        against=peers.analyse(results),
        repetitions=preset.get("repetitions", "?"),
        first_allocator=first,
        allocators=list(results.runs),
        allocation_sentences=verdict.allocation_sentences(results),
        families=throughput.families(results),
        scaling_figures=scaling.figures(results),
        difference=allocator_ratio.difference(results),
        waitlist_tables=waitlists.tables(results),
        waiting=waiting.sections(results),
        waiting_figures=waiting.figures(results),
        exact_counts=exact_counts.analyse(results),
        sources=allocations.sources(results),
        alloc_tables=allocations.tables(results),
        bursts=allocations.bursts(results),
        modelcheck=results.modelcheck,
        matrix=correctness.modelcheck_matrix(results.modelcheck, order) if results.modelcheck else None,
        stress=results.stress,
        comparison=comparison,
        repetition_warning=repetition_warning(results),
        files=results.files,
    )


def repetition_warning(results):
    """With a handful of repetitions a bootstrap of the median has almost nothing to resample."""
    n = (results.env.get("preset") or {}).get("repetitions")
    if isinstance(n, int) and n < MIN_TRUSTED_REPETITIONS:
        return (f"This run has {n} repetitions per point: a median of so few has so few distinct resamples that its "
                "bootstrap interval is not to be trusted, and the changes below may be called wrongly either way. "
                "Use a preset with more repetitions (quick: 10).")
    return None
