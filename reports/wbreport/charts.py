"""The page's charts: matplotlib (Debian's python3-matplotlib) rendered to SVG text, inlined into the
page. One kind only, small multiples of points: a figure is a grid of panels sharing one labelled
y axis; in a panel every x value is a category that was measured (a batch size, a thread count, a
row), and the implementations stand side by side in it as points with whiskers, never joined by
lines (a line would claim values between the categories that nobody measured). Every point
carries an SVG <title> with its exact values, which browsers show on hover."""

import io
import math
import re
import zlib
from dataclasses import dataclass, field
from html import escape

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator  # noqa: E402

from .ordering import BASELINES, LOCK_FREE_ROWS, MUTEX_ROWS, PEERS, WAIT_LISTS  # noqa: E402
from .render_helpers import si  # noqa: E402

matplotlib.rcParams.update({
    "svg.fonttype": "none",    # text stays text: smaller, and searchable in the page
    "svg.hashsalt": "wakerbench",  # stable element ids, so the same data gives the same page
    "font.size": 8,
})

# How each group of implementations (ordering.GROUPS) looks: its line style (the mutex rows solid,
# the lock-free rows dashed, baselines dotted, peers dash-dotted; the points carry colour and marker,
# the line style is kept for any chart that draws lines, none does today), and its own colours and
# markers, handed out by the implementation's index within its group in the registry. So a row keeps
# its look on every page of the same registry, and a row added to one group changes no other
# group's. No palette shares a colour with another, so rows of different groups never look alike.
LOOKS = {
    MUTEX_ROWS: ("-", ["#1f77b4", "#17becf", "#2ca02c", "#d62728", "#aec7e8", "#98df8a", "#ff9896", "#9edae5"],
                 ["o", "v", "s", "D", "d", "8", "H", "^"]),
    WAIT_LISTS: ("--", ["#ad494a", "#e7969c"], ["d", "8"]),
    LOCK_FREE_ROWS: ("--", ["#9467bd", "#8c564b", "#c5b0d5", "#c49c94"], ["^", "P", "<", ">"]),
    BASELINES: (":", ["#7f7f7f", "#bcbd22", "#c7c7c7", "#dbdb8d"], ["x", "*", "+", "1"]),
    # The peers: drawn hollow wherever they appear, in colours of their own.
    PEERS: ("-.", ["#e377c2", "#ff7f0e", "#393b79", "#637939", "#843c39", "#f7b6d2", "#ffbb78", "#5254a3"],
            ["p", "h", "X", "<", ">", "d", "8", "H"]),
}
# A name the results do not place (in no registry) gets a colour and a marker from these, picked by
# its name: the same on every page.
SPARE_COLOURS = ["#8c6d31", "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363", "#bd9e39"]
SPARE_MARKERS = ["h", "p", "X", "<", ">", "d", "8", "H"]


def style(impl, order):
    """(colour, line style, marker) of an implementation, from its place in order (ordering.ImplOrder)."""
    place = order.place(impl)
    if place is None:
        h = zlib.crc32(impl.encode())
        return SPARE_COLOURS[h % len(SPARE_COLOURS)], "-.", SPARE_MARKERS[(h // len(SPARE_COLOURS)) % len(SPARE_MARKERS)]
    group, i = place
    line, colours, markers = LOOKS[group]
    # Past the palette's end the colours come round again, each time with the markers shifted by
    # one, so the (colour, marker) pairs stay distinct for len(colours) * len(markers) members.
    return colours[i % len(colours)], line, markers[(i + i // len(colours)) % len(markers)]


@dataclass
class Point:
    category: object  # the x category it was measured at (one of its panel's categories)
    value: float      # the median
    low: float        # the whisker: the 95% bootstrap interval of the median (stats.Summary.ci_low / ci_high)
    high: float
    title: str        # the hover text: exact values


@dataclass
class Panel:
    title: str
    categories: list                            # x categories, in order
    series: dict = field(default_factory=dict)  # impl -> [Point]
    shaded: set = field(default_factory=set)    # categories to shade (threads beyond the cores)
    empty: str = "no row could run here"        # what an empty panel says


def point_from(category, summary, title):
    """A Point of a stats.Summary: its median, with the median's bootstrap interval as the whisker."""
    return Point(category, summary.median, summary.ci_low, summary.ci_high, title)


def value_range(points):
    """(lowest whisker, highest whisker) of Points, for a y range shared by several figures; None if none."""
    points = [p for p in points if p.low > 0]
    return (min(p.low for p in points), max(p.high for p in points)) if points else None


def _log_axis(ax, low, high, fmt):
    ax.set_yscale("log")
    ax.set_ylim(low / 1.25, high * 1.25)
    decades = math.log10(high / low) if low > 0 else 0
    # Label 1, 2 and 5 of every decade while that stays readable; 1 of each decade beyond.
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0) if decades <= 3 else (1.0,)))
    ax.yaxis.set_minor_locator(NullLocator())  # minor ticks: many bytes, no information the grid lacks
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt(v)))


def figure(title, panels, ylabel, xlabel, *, order, ncols, ylim=None, reference=None, fmt=si, dodge=True, shade_label=None):
    """SVG text of panels in a grid of ncols columns sharing one log y axis, or None if no panel has
    a point. order: the results' ordering.ImplOrder (Results.impl_order), which sets the legend's
    order and every implementation's style; its peers are drawn as reference points (hollow
    markers, "(peer)" in the legend), not as rows. ylim: (low, high) to share with other figures
    (default: this figure's whiskers); reference: a y value drawn as a thin line (1 for a ratio);
    dodge: set the rows side by side in each category (off when each category is a row)."""
    points = [p for panel in panels for pts in panel.series.values() for p in pts]
    if not points:
        return None
    impls = sorted({impl for panel in panels for impl, pts in panel.series.items() if pts}, key=order.key)
    peers = set(order.members(PEERS))
    low, high = ylim or value_range(points) or (1, 10)
    if reference is not None:
        low, high = min(low, reference), max(high, reference)
    ncols = max(1, min(ncols, len(panels)))
    nrows = math.ceil(len(panels) / ncols)
    legend_columns = len(impls) if len(impls) <= 5 else math.ceil(len(impls) / 2)
    legend_rows = math.ceil(len(impls) / legend_columns) if dodge else 0
    top = 0.24 + 0.15 * legend_rows  # inches above the panels: the title and the legend
    fig, axes = plt.subplots(nrows, ncols, sharey=True, squeeze=False,
                             figsize=(min(7.6, 1.1 + 2.25 * ncols), 0.55 + 1.75 * nrows + top))
    width = 0.8 / len(impls) if dodge else 0
    titles = []  # (gid, [hover text per marker, in the order drawn])
    handles = {}
    for ax, panel in zip(axes.flat, panels):
        index = {c: i for i, c in enumerate(panel.categories)}
        for c in panel.shaded:
            ax.axvspan(index[c] - 0.5, index[c] + 0.5, color="#efefef", zorder=0, linewidth=0)
        for j, impl in enumerate(impls):
            pts = [p for p in panel.series.get(impl, []) if p.category in index]
            if not pts:
                continue
            colour, _, marker = style(impl, order)
            offset = (j - (len(impls) - 1) / 2) * width
            hollow = {"markerfacecolor": "white", "markeredgewidth": 1.0} if impl in peers else {}
            container = ax.errorbar([index[p.category] + offset for p in pts], [p.value for p in pts],
                                    yerr=[[p.value - p.low for p in pts], [p.high - p.value for p in pts]],
                                    fmt=marker, color=colour, markersize=4, capsize=0, elinewidth=0.9, linestyle="none",
                                    label=impl, **hollow)
            gid = f"pt{len(titles)}"
            container.lines[0].set_gid(gid)
            titles.append((gid, [p.title for p in pts]))
            handles.setdefault(impl, container)
        if not any(panel.series.values()):
            ax.text(0.5, 0.5, panel.empty, transform=ax.transAxes, ha="center", va="center", color="#777")
        if reference is not None:
            ax.axhline(reference, color="#999999", linewidth=0.8, zorder=1)
        ax.set_xticks(range(len(panel.categories)), [str(c) for c in panel.categories],
                      **({} if dodge else {"rotation": 35, "ha": "right", "rotation_mode": "anchor"}))  # undodged: the rows' names
        ax.set_xlim(-0.5, len(panel.categories) - 0.5)
        ax.set_title(panel.title, fontsize=8)
        ax.grid(True, axis="y", which="major", alpha=0.3)
        _log_axis(ax, low, high, fmt)
    for ax in axes.flat[len(panels):]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel(ylabel)
    for ax in axes[-1, :]:
        ax.set_xlabel(xlabel)
    fig.suptitle(title, fontsize=9, y=1 - 0.08 / fig.get_figheight())
    if dodge:
        # matplotlib fills a legend column by column: this order reads row by row, in the rows' order.
        by_rows = [impls[r * legend_columns + c] for c in range(legend_columns) for r in range(legend_rows)
                   if r * legend_columns + c < len(impls)]
        fig.legend([handles[i] for i in by_rows], [f"{i} (peer)" if i in peers else i for i in by_rows], loc="upper center", ncol=legend_columns, frameon=False, fontsize=7,
                   bbox_to_anchor=(0.5, 1 - 0.2 / fig.get_figheight()), borderaxespad=0, handletextpad=0.2, columnspacing=1.2,
                   labelspacing=0.2)
    bottom = 0.0
    if shade_label and any(panel.shaded for panel in panels):
        fig.text(0.01, 0.01, shade_label, fontsize=7, color="#555555")
        bottom = 0.16 / fig.get_figheight()
    fig.tight_layout(pad=0.3, h_pad=0.6, w_pad=0.6, rect=(0, bottom, 1, 1 - top / fig.get_figheight()))
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    return _with_titles(buf.getvalue(), titles)


TENTHS = re.compile(r"([0-9][.][0-9])[0-9]+")


def _round(match):
    """An attribute of coordinates, each to a tenth of a point."""
    return f'{match.group(1)}="{TENTHS.sub(lambda m: m.group(1), match.group(2))}"'


def _compact(svg):
    """The same drawing in about half the bytes: coordinates to a tenth of a point (the page shows a
    point as a pixel or more), no indentation, one short font name, no no-op rotations, no metadata."""
    svg = svg[svg.index("<svg"):]  # drop the XML prolog and doctype: the SVG is inlined in HTML
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r"font: ([0-9.]+)px '[^;\"]*sans-serif", r"font: \1px sans-serif", svg)
    svg = re.sub(r' transform="rotate\(-0 [^"]*\)"', "", svg)
    svg = re.sub(r'\b(d|x|y|x1|x2|y1|y2|width|height|transform|viewBox)="([^"]*)"', _round, svg)
    svg = re.sub(r'd="([^"]*)"', lambda m: 'd="' + " ".join(m.group(1).split()) + '"', svg)
    svg = re.sub(r'<g id="LineCollection_[0-9]+">(.*?)</g>', _shared_style, svg)
    return _style_classes(re.sub(r">\s+<", "><", svg))


def _style_classes(svg):
    """Each style attribute used three times or more becomes a class, defined once in the SVG. A
    class is named by its style's checksum, so figures inlined in one page never disagree about one."""
    counts = {}
    for style in re.findall(r' style="([^"]*)"', svg):
        counts[style] = counts.get(style, 0) + 1
    names = {style: f"s{zlib.crc32(style.encode()):08x}" for style, n in counts.items() if n >= 3}
    if not names:
        return svg
    svg = re.sub(r' style="([^"]*)"', lambda m: f' class="{names[m.group(1)]}"' if m.group(1) in names else m.group(0), svg)
    rules = "".join(f".{name}{{{style}}}" for style, name in names.items())
    return svg.replace("</style>", rules + "</style>", 1)


def _shared_style(match):
    """A whisker group whose lines share one clip and style carries them once, on the group."""
    paths = re.findall(r'<path d="([^"]*)" clip-path="([^"]*)" style="([^"]*)"/>', match.group(1))
    if not paths or len({(c, s) for _, c, s in paths}) != 1 or len(paths) != match.group(1).count("<path"):
        return match.group(0)
    _, clip, style = paths[0]
    return f'<g clip-path="{clip}" style="{style}">' + "".join(f'<path d="{d}"/>' for d, _, _ in paths) + "</g>"


def _with_titles(svg, titles):
    """Gives every marker of each titled group its own <title>: a marker is a <use> in the group's
    <g>, in the order its points were drawn."""
    svg = _compact(svg)
    for gid, texts in titles:
        start = svg.index(f'<g id="{gid}">')
        pos = start
        for text in texts:
            use = svg.index("<use ", pos)
            end = svg.index("/>", use) + 2
            wrapped = f"<g><title>{escape(text)}</title>{svg[use:end]}</g>"
            svg = svg[:use] + wrapped + svg[end:]
            pos = use + len(wrapped)
    return re.sub(r'<g id="[^"]*">', "<g>", svg)  # nothing refers to a group by its id
