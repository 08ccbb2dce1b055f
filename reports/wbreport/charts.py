"""Section 3's charts: matplotlib (Debian's python3-matplotlib) rendered to SVG text, inlined into
the page. Each point is the median of the repetitions with an error bar from min to max, and
carries an SVG <title> with its exact value, which browsers show on hover."""

import io
import re
from html import escape

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402

from .render_helpers import si  # noqa: E402

matplotlib.rcParams.update({
    "svg.fonttype": "none",    # text stays text: smaller, and searchable in the page
    "svg.hashsalt": "wakerbench",  # stable element ids, so the same data gives the same page
    "font.size": 9,
})

# Lines the reader tells apart: the four wait-list rows solid, lock-free dashed, baselines dotted.
STYLE = {
    "vec": ("#1f77b4", "-", "o"), "vec_reuse": ("#17becf", "-", "v"), "slab": ("#2ca02c", "-", "s"),
    "intrusive": ("#d62728", "-", "D"), "moodycamel": ("#9467bd", "--", "^"), "boost_lockfree": ("#8c564b", "--", "P"),
    "mutex_condvar": ("#7f7f7f", ":", "x"), "moodycamel_blocking": ("#bcbd22", ":", "*"),
}


def line_chart(title, xlabel, xs_label, lines):
    """lines: [(impl, [(x, Summary)])]. Returns SVG text, or None if nothing could be plotted."""
    plotted = [(impl, [(x, s) for x, s in points if s is not None]) for impl, points in lines]
    plotted = [(impl, pts) for impl, pts in plotted if pts]
    if not plotted:
        return None
    fig, ax = plt.subplots(figsize=(5.6, 3.4))
    titles = {}
    lows = []
    highs = []
    for impl, pts in plotted:
        color, dash, marker = STYLE.get(impl, ("#000000", "-", "o"))
        xs = [x for x, _ in pts]
        med = [s.median for _, s in pts]
        err = [[s.median - s.low for _, s in pts], [s.high - s.median for _, s in pts]]
        ax.errorbar(xs, med, yerr=err, color=color, linestyle=dash, marker=marker, markersize=4, capsize=3, linewidth=1.2, label=impl)
        for x, s in pts:
            gid = f"pt{len(titles)}"
            # An invisible marker per point, only to carry the hover title.
            ax.plot([x], [s.median], marker=marker, markersize=9, alpha=0.0, gid=gid)
            titles[gid] = f"{impl}, {xs_label} {x}: median {s.median:,.0f} msgs/s (min {s.low:,.0f}, max {s.high:,.0f}, cv {s.cv:.1%}, n={s.n})"
        lows += [s.low for _, s in pts]
        highs += [s.high for _, s in pts]
    xs_all = sorted({x for _, pts in plotted for x, _ in pts})
    if len(xs_all) > 1 and xs_all[-1] / max(xs_all[0], 1) >= 16:
        ax.set_xscale("log", base=2)
    ax.set_xticks(xs_all, [str(x) for x in xs_all])
    if min(lows) > 0 and max(highs) / min(lows) >= 10:  # log scale where the range needs it
        ax.set_yscale("log")
        # Label 1, 2 and 5 of every decade: a log axis with one labelled tick cannot be read.
        ax.yaxis.set_major_locator(matplotlib.ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: si(v)))
    ax.set_xlabel(xlabel)
    ax.set_ylabel("messages/s")
    ax.set_title(title)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=7, ncol=2, frameon=False)
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    return _with_titles(buf.getvalue(), titles)


def _with_titles(svg, titles):
    svg = svg[svg.index("<svg"):]  # drop the XML prolog and doctype: the SVG is inlined in HTML
    for gid, text in titles.items():
        svg = svg.replace(f'<g id="{gid}">', f'<g id="{gid}"><title>{escape(text)}</title>', 1)
    return re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
