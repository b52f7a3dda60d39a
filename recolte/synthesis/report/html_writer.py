"""One standalone HTML file: inline CSS and SVG, no external resource. Its print rules (@page,
page counters, TOC page references) are what WeasyPrint lays out for the PDF.

`PagedHtml` also cuts the body where a page break is forced anyway (cover, contents, figures,
each axis, each long section), so the PDF writer can lay the pieces out in parallel."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from html import escape
from typing import BinaryIO

from django.utils.safestring import SafeString, mark_safe

from .charts import render_chart
from .document import TOC_DEPTH, Box, Labels, Node, ReportDocument, ReportQuote, Table
from .markdown import Block, Run, parse
from .typography import guillemets, typeset

CSS = """
:root { --ink: #1d2b2a; --accent: #1f5f5b; --muted: #5b6b69; --shade: #eef3f1;
        --draft: #fff6dc; --rule: #c9d6d3; }
html { font-family: "DejaVu Serif", Georgia, serif; font-size: 10.5pt; line-height: 1.5;
       color: var(--ink); }
body { max-width: 46em; margin: 2em auto; padding: 0 1em; }
h1, h2, h3, h4, h5, h6, .box-label, .box-title, .facts, table, figcaption, nav, .kicker {
  font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; }
h1, h2, h3, h4, h5, h6 { color: var(--accent); line-height: 1.25; hyphens: manual; }
h2 { font-size: 1.6em; margin: 1.6em 0 .6em; border-bottom: 2px solid var(--accent);
     padding-bottom: .2em; }
h3 { font-size: 1.3em; margin: 1.4em 0 .5em; }
h4 { font-size: 1.1em; margin: 1.2em 0 .4em; }
h5, h6 { font-size: 1em; margin: 1em 0 .3em; }
h6 { font-style: italic; }
.num { color: var(--muted); margin-right: .3em; }
p { margin: 0 0 .6em; text-align: justify; hyphens: auto; }
.cover { text-align: left; padding: 4em 0 2em; page: cover; }
.cover h1 { font-size: 2.2em; color: var(--accent); margin: 0 0 .4em; }
.cover .subtitle { font-size: 1.25em; color: var(--muted); text-align: left; }
.facts { border-collapse: collapse; margin-top: 3em; width: 100%; font-size: .9em; }
.facts th { text-align: left; color: var(--muted); font-weight: normal; padding: .35em 1em .35em 0;
            vertical-align: top; width: 30%; border-top: 1px solid var(--rule); }
.facts td { padding: .35em 0; border-top: 1px solid var(--rule); }
nav.toc ol { list-style: none; padding-left: 0; margin: 0; }
nav.toc ol ol { padding-left: 1.4em; }
nav.toc li { margin: .15em 0; }
nav.toc a { color: var(--ink); text-decoration: none; }
nav.toc .toc-1 > a { font-weight: bold; }
table.figures { border-collapse: collapse; width: 100%; margin: .4em 0 1.2em; font-size: .88em; }
table.figures caption { text-align: left; font-weight: bold; margin-bottom: .3em; }
table.figures th { background: var(--shade); text-align: left; }
table.figures th, table.figures td { border-bottom: 1px solid var(--rule); padding: .3em .5em; }
table.figures td.n { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1em 0 1.6em; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: .85em; color: var(--muted); margin-top: .3em; }
.questions { border-left: 3px solid var(--rule); padding-left: .9em; margin: 0 0 1em;
             color: var(--muted); font-style: italic; }
.questions p { text-align: left; margin: 0 0 .2em; }
.draft { background: var(--draft); border-left: 3px solid #d9a400; padding: .5em .8em;
         margin-bottom: .8em; }
.draft-label { font-family: "DejaVu Sans", sans-serif; font-size: .8em; font-weight: bold;
               color: #8a6500; text-transform: uppercase; letter-spacing: .03em; }
.examples { color: var(--muted); }
blockquote.quote { margin: .6em 0 .8em 1.5em; padding: 0 0 0 .9em;
                   border-left: 3px solid var(--accent); }
blockquote.quote p { font-style: italic; margin: 0; text-align: left; }
.attribution { font-style: normal; color: var(--muted); white-space: nowrap; }
aside.box { background: var(--shade); border-top: 3px solid var(--accent); padding: .7em 1em .4em;
            margin: 1em 0 1.2em; }
.box-label { font-size: .75em; text-transform: uppercase; letter-spacing: .06em;
             color: var(--accent); font-weight: bold; margin: 0 0 .2em; }
.box-title { font-weight: bold; margin: 0 0 .5em; text-align: left; }
aside.box p { font-size: .95em; }
.coverage-note { font-size: .85em; color: var(--muted); font-style: italic; }
ul, ol { margin: 0 0 .6em; }

/* Margin boxes with fixed widths: auto widths make WeasyPrint measure their content on every
   page (about a tenth of the layout time of a 300-page report). */
@page { size: A4; margin: 2.3cm 2.2cm 2.2cm;
  @top-right { content: string(chapter); font: 7.5pt "DejaVu Sans"; color: #5b6b69;
               vertical-align: bottom; padding-bottom: .4cm; width: 100%; }
  @bottom-left { content: "REPORT-TITLE"; font: 7.5pt "DejaVu Sans"; color: #5b6b69;
                 width: 75%; }
  @bottom-right { content: "page " counter(page) " / " counter(pages);
                  font: 8pt "DejaVu Sans"; color: #5b6b69; width: 25%; } }
@page cover { @top-right { content: none } @bottom-left { content: none }
              @bottom-right { content: none } }
@media print {
  html { font-size: 10pt; }
  body { max-width: none; margin: 0; padding: 0; }
  .cover { break-after: page; padding-top: 7cm; }
  .cover h1 { bookmark-level: none; }
  nav.toc { break-after: page; }
  nav.toc a::after { content: leader(".") target-counter(attr(href url), page); }
  .node.level-1 { break-before: page; }
  .node.level-1 > h2, section.device > h2, section.coverage > h2 {
    string-set: chapter content(text); }
  section.device, section.coverage, .node.level-2.new-page { break-before: page; }
  .chapter-mark { string-set: chapter attr(data-chapter); }
  h2 { bookmark-level: 1; } h3 { bookmark-level: 2; } h4 { bookmark-level: 3; }
  h5 { bookmark-level: 4; } h6 { bookmark-level: 5; }
  h2, h3, h4, h5, h6, .box-label, .box-title { break-after: avoid; }
  blockquote.quote, figure, tr, .questions { break-inside: avoid; }
  p { orphans: 2; widows: 2; }
}
"""


TAIL = "</body>\n</html>\n"
NEW_PAGE_SHARE = 0.12  # a section holding this share of the body starts on a new page
FIGURES_WEIGHT = 10_000  # the figures' tables and charts, in characters of text to lay out


def write_html(report: ReportDocument, out: BinaryIO) -> None:
    out.write(build_html(report).encode("utf-8"))


def build_html(report: ReportDocument) -> str:
    return PagedHtml(report).whole()


class PagedHtml:
    """The report as HTML pieces that each start on a new page: `head()` + `front()` (cover and
    contents) + the pieces' HTML + TAIL is the whole report."""

    def __init__(self, report: ReportDocument) -> None:
        self.report = typeset(report)
        self.labels = self.report.labels
        self.anchors = dict((id(n), a) for n, a in self.report.walk())
        sizes = {id(n): text_size([n]) for top in self.report.sections for n in top.children}
        total = sum(sizes.values()) or 1
        # Long sections (not the first of their axis, which follows the axis heading) start on
        # a new page: a break a reader expects, and one more place to cut the layout work.
        self.new_page = {
            id(n)
            for top in self.report.sections
            for n in top.children[1:]
            if sizes[id(n)] >= NEW_PAGE_SHARE * total
        }

    def whole(self) -> str:
        body = "".join(
            _node(n, self.anchors, self.labels, self.new_page) for n in self.report.sections
        )
        return (
            self.head()
            + self.front()
            + _figures(self.report)
            + body
            + _coverage(self.report)
            + TAIL
        )

    def head(self, extra_css: str = "") -> str:
        return (
            '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(self.report.title)}</title>\n"
            f"<style>{_css(self.report)}{extra_css}</style>\n</head>\n<body>\n"
        )

    def front(self, page_of: dict[str, int] | None = None) -> str:
        """Cover and contents; with `page_of` (anchor → page number) the contents print those
        numbers and link to `recolte-toc:<anchor>` for the PDF writer to resolve."""
        return _cover(self.report) + _toc(self.report, page_of)

    def pieces(self) -> list[Piece]:
        """The body in pieces, in order, each starting on a new page; a piece's HTML is built
        by whoever lays it out (charts are drawn there too)."""
        out = [Piece(FIGURES_WEIGHT, partial(_figures, self.report))]
        for top in self.report.sections:
            runs: list[list[Node]] = [[]]
            for child in top.children:
                if id(child) in self.new_page:
                    runs.append([])
                runs[-1].append(child)
            out.append(
                Piece(
                    text_size([top]) - text_size(top.children) + text_size(runs[0]),
                    partial(self._first_run, top, runs[0]),
                )
            )
            out.extend(
                Piece(text_size(run), partial(self._later_run, top, run)) for run in runs[1:]
            )
        out.append(Piece(0, partial(_coverage, self.report)))
        return out

    def _first_run(self, top: Node, run: list[Node]) -> str:
        return _open(top, self.anchors, self.labels) + self._html(run) + "</section>\n"

    def _later_run(self, top: Node, run: list[Node]) -> str:
        # The running header comes from the axis heading, which is in another piece; the mark
        # goes inside the section, after its page break.
        mark = f'<div class="chapter-mark" data-chapter="{_e(top.heading())}"></div>'
        html = self._html(run).replace(">", ">" + mark, 1)
        return f'<section class="node level-1">\n{html}</section>\n'

    def _html(self, nodes: list[Node]) -> str:
        return "".join(_node(n, self.anchors, self.labels, self.new_page) for n in nodes)


@dataclass(frozen=True, slots=True)
class Piece:
    weight: int  # characters of text, to share the pieces out evenly
    build: Callable[[], str]


def text_size(nodes: list[Node]) -> int:
    """Characters of text under these nodes: a cheap stand-in for their length on the page."""
    return sum(
        len(n.analysis_markdown)
        + sum(len(q.text) for q in n.quotes)
        + sum(len(p) for b in n.boxes for p in b.paragraphs)
        + text_size(n.children)
        for n in nodes
    )


def _css(report: ReportDocument) -> str:
    word = report.labels.page.replace("\\", "").replace('"', "")
    title = re.sub(r'[\\"\n<>]', " ", report.title)
    return CSS.replace('content: "page "', f'content: "{word} "').replace(
        '"REPORT-TITLE"', f'"{title}"'
    )


def _e(text: str) -> str:
    return escape(text, quote=True)


def _cover(report: ReportDocument) -> str:
    out = ['<header class="cover">\n', f"<h1>{_e(report.title)}</h1>\n"]
    if report.subtitle:
        out.append(f'<p class="subtitle">{_e(report.subtitle)}</p>\n')
    if report.programme_facts:
        out.append('<table class="facts">\n')
        out.extend(
            f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>\n" for k, v in report.programme_facts
        )
        out.append("</table>\n")
    out.append("</header>\n")
    return "".join(out)


def _toc(report: ReportDocument, page_of: dict[str, int] | None = None) -> str:
    def link(anchor: str) -> str:
        if page_of is None:
            return f'<a href="#{anchor}">'
        return f'<a href="recolte-toc:{anchor}" data-page="{page_of[anchor]}">'

    out = [f'<nav class="toc">\n<h2 class="toc-title">{_e(report.labels.contents)}</h2>\n<ol>\n']
    if report.device_figures or report.charts:
        out.append(f'<li class="toc-1">{link("figures")}{_e(report.labels.figures)}</a></li>\n')
    anchors = dict((id(n), a) for n, a in report.walk())

    def items(nodes: list[Node]) -> None:
        for node in nodes:
            out.append(
                f'<li class="toc-{node.level}">{link(anchors[id(node)])}{_e(node.heading())}</a>'
            )
            shown = [c for c in node.children if c.level <= TOC_DEPTH]
            if shown:
                out.append("\n<ol>\n")
                items(shown)
                out.append("</ol>\n")
            out.append("</li>\n")

    items([n for n in report.sections if n.level <= TOC_DEPTH])
    if report.coverage and not report.coverage.is_empty():
        out.append(f'<li class="toc-1">{link("coverage")}{_e(report.labels.coverage)}</a></li>\n')
    out.append("</ol>\n</nav>\n")
    return "".join(out)


def _figures(report: ReportDocument) -> str:
    if not (report.device_figures or report.charts):
        return ""
    out = [f'<section class="device" id="figures">\n<h2>{_e(report.labels.figures)}</h2>\n']
    out.extend(_table(t) for t in report.device_figures)
    for i, chart in enumerate(report.charts, 1):
        out.append(
            f"<figure>\n{render_chart(chart).svg}\n<figcaption>{_e(report.labels.figure)}"
            f" {i}. {_e(chart.title)}</figcaption>\n</figure>\n"
        )
    out.append("</section>\n")
    return "".join(out)


_NUMERIC = re.compile(r"^[\d\s\u202f\u00a0.,%]+$")


def _table(table: Table) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in table.columns)
    rows = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{_e(c)}</td>' if _NUMERIC.match(c) else f"<td>{_e(c)}</td>" for c in row
        )
        + "</tr>\n"
        for row in table.rows
    )
    return (
        f'<table class="figures">\n<caption>{_e(table.title)}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n"
    )


def _node(node: Node, anchors: dict[int, str], labels: Labels, new_page: set[int]) -> str:
    children = "".join(_node(c, anchors, labels, new_page) for c in node.children)
    return _open(node, anchors, labels, id(node) in new_page) + children + "</section>\n"


def _open(node: Node, anchors: dict[int, str], labels: Labels, new_page: bool = False) -> str:
    """The node's section up to its children, left open."""
    tag = f"h{min(node.level + 1, 6)}"
    num = f'<span class="num">{_e(node.number)}</span> ' if node.number else ""
    extra = " new-page" if new_page else ""
    out = [
        f'<section class="node level-{node.level}{extra}" id="{anchors[id(node)]}">\n',
        f"<{tag}>{num}{_e(node.title)}</{tag}>\n",
    ]
    if node.questions:
        out.append(
            '<div class="questions">'
            + "".join(f"<p>{_e(q)}</p>" for q in node.questions)
            + "</div>\n"
        )
    if node.analysis_markdown.strip():
        body = blocks_html(parse(node.analysis_markdown))
        if node.is_draft:
            body = f'<p class="draft-label">{_e(labels.draft)}</p>\n{body}'
            out.append(f'<div class="analysis draft">\n{body}</div>\n')
        else:
            out.append(f'<div class="analysis">\n{body}</div>\n')
    if node.examples:
        out.append(f'<p class="examples">{_e(node.examples_label())}</p>\n')
    out.extend(_quote(q) for q in node.quotes)
    out.extend(_box(b) for b in node.boxes)
    out.extend(f'<p class="coverage-note">{_e(c)}</p>\n' for c in node.coverage_notes)
    return "".join(out)


def _quote(quote: ReportQuote) -> str:
    who = quote.attribution_label()
    cite = f' <span class="attribution">({_e(who)})</span>' if who else ""
    return f'<blockquote class="quote"><p>{_e(guillemets(quote.text))}{cite}</p></blockquote>\n'


def _box(box: Box) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", box.label.lower()).strip("-")
    return (
        f'<aside class="box box-{slug}">\n<p class="box-label">{_e(box.label)}</p>\n'
        f'<p class="box-title">{_e(box.title)}</p>\n'
        + "".join(blocks_html(parse(p)) for p in box.paragraphs)
        + "</aside>\n"
    )


def _coverage(report: ReportDocument) -> str:
    cov, labels = report.coverage, report.labels
    if not cov or cov.is_empty():
        return ""
    out = [f'<section class="coverage" id="coverage">\n<h2>{_e(labels.coverage)}</h2>\n']
    for title, items in (
        (labels.nodes_without_evidence, cov.nodes_without_evidence),
        (labels.organisations_never_cited, cov.organisations_never_cited),
    ):
        if items:
            out.append(
                f"<h3>{_e(title)}</h3>\n<ul>\n"
                + "".join(f"<li>{_e(i)}</li>\n" for i in items)
                + "</ul>\n"
            )
    out.append("</section>\n")
    return "".join(out)


def blocks_html(blocks: list[Block]) -> str:
    out = []
    for block in blocks:
        if block.kind == "p":
            out.append(f"<p>{_runs(block.items[0])}</p>\n")
        else:
            items = "".join(f"<li>{_runs(item)}</li>\n" for item in block.items)
            out.append(f"<{block.kind}>\n{items}</{block.kind}>\n")
    return "".join(out)


def _runs(runs: list[Run]) -> str:
    out = []
    for run in runs:
        text = _e(run.text)
        if run.italic:
            text = f"<em>{text}</em>"
        if run.bold:
            text = f"<strong>{text}</strong>"
        out.append(text)
    return "".join(out)


def markdown_html(source: str) -> SafeString:
    """The analysis Markdown subset as HTML, the same for staff previews, public pages and the
    HTML report: every run is escaped and the subset carries no raw HTML or links."""
    return mark_safe(blocks_html(parse(source)))  # noqa: S308
