"""Markdown: headings, the analysis re-emitted from its parsed blocks (so only the safe subset
survives), quotes and boxes as block quotes, tables as pipe tables, charts as PNG data URIs
followed by their values."""

from __future__ import annotations

import base64
import re
from typing import BinaryIO

from .charts import fr_number, render_chart
from .document import TOC_DEPTH, Box, Chart, Node, ReportDocument, ReportQuote
from .markdown import Block, Run, parse
from .typography import guillemets, typeset

_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+[.)])(?=\s|$)")


def escape(text: str) -> str:
    """Plain text made literal in Markdown."""
    return _LINE_START.sub(r"\1\\\2", _SPECIAL.sub(r"\\\1", text))


def write_md(report: ReportDocument, out: BinaryIO) -> None:
    out.write(build_md(report).encode("utf-8"))


def build_md(report: ReportDocument) -> str:
    report = typeset(report)
    labels = report.labels
    out = [f"# {escape(report.title)}\n"]
    if report.subtitle:
        out.append(f"\n*{escape(report.subtitle)}*\n")
    if report.programme_facts:
        out.append(
            "\n"
            + "".join(f"- **{escape(k)}**\u00a0: {escape(v)}\n" for k, v in report.programme_facts)
        )
    anchors = dict((id(n), a) for n, a in report.walk())
    out.append(f"\n## {escape(labels.contents)}\n\n")
    for node, anchor in report.walk():
        if node.level <= TOC_DEPTH:
            out.append(f"{'  ' * (node.level - 1)}- [{escape(node.heading())}](#{anchor})\n")
    if report.device_figures or report.charts:
        out.append(f"\n## {escape(labels.figures)}\n")
        for table in report.device_figures:
            out.append(f"\n**{escape(table.title)}**\n\n" + _table(table.columns, table.rows))
        for i, chart in enumerate(report.charts, 1):
            out.append(_chart(chart, f"{labels.figure} {i}. {chart.title}"))
    for node in report.sections:
        _node(node, anchors, labels.draft, out)
    cov = report.coverage
    if cov and not cov.is_empty():
        out.append(f"\n## {escape(labels.coverage)}\n")
        for title, items in (
            (labels.nodes_without_evidence, cov.nodes_without_evidence),
            (labels.organisations_never_cited, cov.organisations_never_cited),
        ):
            if items:
                out.append(
                    f"\n### {escape(title)}\n\n" + "".join(f"- {escape(i)}\n" for i in items)
                )
    return re.sub(r"\n{3,}", "\n\n", "".join(out))


def _node(node: Node, anchors: dict[int, str], draft: str, out: list[str]) -> None:
    hashes = "#" * min(node.level + 1, 6)
    out.append(f'\n{hashes} {escape(node.heading())} <a id="{anchors[id(node)]}"></a>\n\n')
    out.extend(f"*{escape(q)}*\n\n" for q in node.questions)
    if node.analysis_markdown.strip():
        body = blocks_md(parse(node.analysis_markdown))
        if node.is_draft:
            body = f"> **{escape(draft)}**\n>\n" + "".join(
                f"> {line}\n" if line else ">\n" for line in body.rstrip("\n").split("\n")
            )
        out.append(body + "\n")
    if node.examples:
        out.append(f"{escape(node.examples_label())}\n\n")
    out.extend(_quote(q) for q in node.quotes)
    out.extend(_box(b) for b in node.boxes)
    out.extend(f"*{escape(c)}*\n\n" for c in node.coverage_notes)
    for child in node.children:
        _node(child, anchors, draft, out)


def _quote(quote: ReportQuote) -> str:
    who = quote.attribution_label()
    return f"> {escape(guillemets(quote.text))}" + (f" ({escape(who)})" if who else "") + "\n\n"


def _box(box: Box) -> str:
    lines = [f"**{escape(box.label)}** — **{escape(box.title)}**", ""]
    for para in box.paragraphs:
        lines.extend(blocks_md(parse(para)).rstrip("\n").split("\n"))
        lines.append("")
    return "".join(f"> {line}\n" if line else ">\n" for line in lines[:-1]) + "\n"


def _table(columns: list[str], rows: list[list[str]]) -> str:
    def row(cells: list[str]) -> str:
        return "| " + " | ".join(escape(c) for c in cells) + " |\n"

    return row(columns) + "|" + "---|" * len(columns) + "\n" + "".join(row(r) for r in rows)


def _chart(chart: Chart, caption: str) -> str:
    data = base64.b64encode(render_chart(chart).png).decode("ascii")
    values = [
        [cat, *(fr_number(s.values[i]) for s in chart.series)]
        for i, cat in enumerate(chart.categories)
    ]
    columns = ["", *(s.name for s in chart.series)] if len(chart.series) > 1 else ["", ""]
    return (
        f"\n![{escape(chart.title)}](data:image/png;base64,{data})\n\n*{escape(caption)}*\n\n"
        + _table(columns, values)
    )


def blocks_md(blocks: list[Block]) -> str:
    out = []
    for block in blocks:
        if block.kind == "p":
            out.append(_runs(block.items[0]) + "\n\n")
        else:
            out.extend(
                (f"{i}. " if block.kind == "ol" else "- ") + _runs(item) + "\n"
                for i, item in enumerate(block.items, 1)
            )
            out.append("\n")
    return "".join(out)


def _runs(runs: list[Run]) -> str:
    out = []
    for run in runs:
        text = escape(run.text)
        core = text.strip()
        if core and (run.bold or run.italic):
            mark = ("**" if run.bold else "") + ("*" if run.italic else "")
            lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
            text = f"{lead}{mark}{core}{mark[::-1]}{trail}"
        out.append(text)
    return "".join(out)
