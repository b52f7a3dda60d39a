"""Charts drawn once with matplotlib and saved as SVG (HTML, PDF) and PNG (DOCX, Markdown),
each format only when a writer asks for it.

Only the object-oriented API is used (no pyplot), so rendering keeps no global state and is
safe in a worker thread. Text stays text in the SVG (same DejaVu font as the PDF body), and the
SVG carries presentation attributes, not `style` attributes or a `<style>` sheet: inside an HTML
page those would enter the page's own cascade (WeasyPrint warns on every one of them, and a
`*` rule would match every element of the report).
"""

from __future__ import annotations

import hashlib
import io
import re
import textwrap
from functools import cached_property, lru_cache

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .document import Chart

# Okabe–Ito: distinguishable by colour-blind readers and in greyscale print.
# Paul Tol's muted colours follow, so up to 12 series never share a colour.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
    "#882255",
    "#44AA99",
    "#999933",
    "#AA4499",
)
WIDTH_IN = 6.3  # 16 cm: the text width of an A4 page with 2.5 cm margins
PNG_DPI = 200
LEGEND_WRAP = 26  # characters per line of a series name in the legend
_RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "recolte",
    "font.family": "DejaVu Sans",
    "font.size": 8.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


class ChartImages:
    """One chart's figure, drawn on first use; `svg` (an `<svg>` element without XML prolog,
    ready to inline) and `png` are each saved once, when first read."""

    def __init__(self, chart: Chart) -> None:
        self.chart = chart

    @cached_property
    def _figure(self) -> Figure:
        with matplotlib.rc_context(_RC):
            return _draw(self.chart)

    @cached_property
    def svg(self) -> str:
        buf = io.StringIO()
        with matplotlib.rc_context(_RC):
            self._figure.savefig(buf, format="svg", metadata={"Date": None})
        return _inline_svg(buf.getvalue(), self.chart)

    @cached_property
    def png(self) -> bytes:
        buf = io.BytesIO()
        with matplotlib.rc_context(_RC):
            self._figure.savefig(buf, format="png", dpi=PNG_DPI, metadata={"Software": None})
        return buf.getvalue()


def fr_number(value: float) -> str:
    """1234.5 → '1 234,5' (thin no-break space for thousands, decimal comma)."""
    text = f"{value:,.1f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u202f").replace(".", ",")


@lru_cache(maxsize=64)
def render_chart(chart: Chart) -> ChartImages:
    return ChartImages(chart)


def _draw(chart: Chart) -> Figure:
    n = len(chart.categories)
    many = len(chart.series) > 1
    grouped = many and not chart.stacked
    labels = [textwrap.fill(c, 42) for c in chart.categories]
    # Each category gets room for its bars and for its label's lines.
    rows = sum(
        max(0.28 * (len(chart.series) if grouped else 1), 0.12 + 0.17 * (lb.count("\n") + 1))
        for lb in labels
    )
    names = [textwrap.fill(s.name, LEGEND_WRAP) for s in chart.series]
    ncols = 4 if max(map(len, names)) <= 18 else 3
    # The legend goes below the plot and gets its own height, so many series with long names
    # never squeeze the axes to nothing.
    legend = 0.0
    if many:
        legend = 0.15 + sum(
            0.16 * max(n.count("\n") + 1 for n in names[i : i + ncols])
            for i in range(0, len(names), ncols)
        )
    fig = Figure(figsize=(WIDTH_IN, 0.9 + min(8.0, max(rows, 0.6)) + legend), layout="constrained")
    ax = fig.subplots()
    positions = list(range(n))
    height = 0.75 / (len(chart.series) if grouped else 1)
    left = [0.0] * n
    for i, series in enumerate(chart.series):
        colour = PALETTE[i % len(PALETTE)]
        if grouped:
            ys = [p - 0.375 + height * (i + 0.5) for p in positions]
            bars = ax.barh(ys, series.values, height=height, color=colour, label=names[i])
        else:
            bars = ax.barh(
                positions, series.values, height=height, left=left, color=colour, label=names[i]
            )
            left = [a + b for a, b in zip(left, series.values, strict=True)]
        if grouped or not many:
            ax.bar_label(
                bars,
                labels=[fr_number(v) if v else "" for v in series.values],
                padding=2,
                fontsize=7.5,
            )
    if many and chart.stacked:
        ax.bar_label(bars, labels=[fr_number(v) for v in left], padding=2, fontsize=7.5)
    ax.set_yticks(positions, labels)
    ax.invert_yaxis()  # first category on top, as in a table
    ax.margins(x=0.08)
    ax.xaxis.set_major_formatter(lambda v, _pos: fr_number(v))
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    if chart.value_label:
        ax.set_xlabel(chart.value_label)
    if all(float(v).is_integer() for s in chart.series for v in s.values):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if many:  # outside the plot, so it never hides a bar
        fig.legend(
            loc="outside lower center",
            ncols=min(len(chart.series), ncols),
            frameon=False,
            fontsize=7.5,
        )
    return fig


_STYLE = re.compile(r' style="([^"]*)"')


def _attributes(match: re.Match[str]) -> str:
    pairs = (d.split(":", 1) for d in match.group(1).split(";") if ":" in d)
    return "".join(f' {k.strip()}="{v.strip()}"' for k, v in pairs)


def _inline_svg(svg: str, chart: Chart) -> str:
    """An <svg> element for an HTML page: no prolog, metadata, style sheet or namespace URIs
    (the HTML parser supplies the SVG namespace), presentation attributes instead of `style`,
    SVG 2 `href`, and ids prefixed so charts can share a page."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    # matplotlib's sheet is `*{stroke-linejoin: round; stroke-linecap: butt}`: both inherit,
    # so they move to the root element.
    svg = re.sub(r"\s*<style[^>]*>.*?</style>", "", svg, flags=re.S)
    svg = _STYLE.sub(_attributes, svg)
    svg = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", svg)
    svg = svg.replace("xlink:href=", "href=")
    prefix = "c" + hashlib.sha1(repr(chart).encode()).hexdigest()[:8] + "-"
    svg = re.sub(r'id="([^"]+)"', rf'id="{prefix}\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}\1)", svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}\1"', svg)
    title = chart.title.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    return svg.replace(
        "<svg ",
        f'<svg role="img" aria-label="{title}" stroke-linejoin="round" stroke-linecap="butt" ',
        1,
    )
