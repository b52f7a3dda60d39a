"""French typography for report text.

Spaces follow the Imprimerie nationale usage, which Word, LibreOffice and WeasyPrint all render:
- U+00A0 (no-break space) inside « » and before the colon;
- U+202F (narrow no-break space, "fine") before ; ! ?
Both are non-breaking, so a line never starts with a colon or a closing guillemet. DejaVu, the
fonts the PDF embeds, has both glyphs.

`fr()` is idempotent and leaves URLs, e-mail addresses and times or ratios such as 10:30 alone.
It is markdown-safe: it never touches `*`, `_`, list markers or leading indentation.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace

from .document import (
    Attribution,
    Box,
    Chart,
    Coverage,
    Labels,
    Node,
    ReportDocument,
    ReportQuote,
    Series,
    Table,
)

NBSP = "\u00a0"
NNBSP = "\u202f"
_SPACES = " \t\u00a0\u202f"

_PROTECTED = re.compile(r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.-]+")
_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
# A high punctuation sign after a word: the space before it becomes non-breaking. Only when the
# sign is free-standing (followed by a space, the end or a closing mark), so 10:30 stays as is.
_HIGH_PUNCT = re.compile(
    rf"(?<=[^\s?!;:(\[«{NBSP}{NNBSP}])[{_SPACES}]*([;:!?]+)(?=$|[\s»)\]\"”’.,…*_\ue000])"
)
_OPEN_GUILLEMET = re.compile(rf"«[{_SPACES}]*")
_CLOSE_GUILLEMET = re.compile(rf"[{_SPACES}]*»")
_STRAIGHT_QUOTES = re.compile(r'"([^"\n]+)"')
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_INNER_SPACES = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)")
_TRAILING_SPACES = re.compile(r"[ \t]+$", re.MULTILINE)


def fr(text: str) -> str:
    """Apply French typographic spacing and signs to `text`."""
    if not text:
        return text
    kept: list[str] = []

    def protect(m: re.Match[str]) -> str:
        kept.append(m.group(0))
        return f"\ue000{len(kept) - 1}\ue001"

    text = _PROTECTED.sub(protect, text)
    text = _STRAIGHT_QUOTES.sub(r"«\1»", text)
    text = _APOSTROPHE.sub("’", text)
    text = text.replace("...", "…")
    text = _INNER_SPACES.sub(" ", text)
    text = _TRAILING_SPACES.sub("", text)
    text = _OPEN_GUILLEMET.sub("«" + NBSP, text)
    text = _CLOSE_GUILLEMET.sub(NBSP + "»", text)
    text = _HIGH_PUNCT.sub(_space_before, text)
    return _PLACEHOLDER.sub(lambda m: kept[int(m.group(1))], text)


def _space_before(m: re.Match[str]) -> str:
    signs = m.group(1)
    return (NBSP if signs[0] == ":" else NNBSP) + signs


def guillemets(text: str) -> str:
    """Wrap a quotation in « » with the right inner spaces."""
    return fr(f"«{text.strip()}»")


def typeset(report: ReportDocument) -> ReportDocument:
    """A copy of `report` with every text typeset; idempotent, so writers may call it freely."""
    return replace(
        report,
        title=fr(report.title),
        subtitle=fr(report.subtitle),
        programme_facts=[(fr(k), fr(v)) for k, v in report.programme_facts],
        device_figures=[
            Table(fr(t.title), [fr(c) for c in t.columns], [[fr(c) for c in r] for r in t.rows])
            for t in report.device_figures
        ],
        charts=[_typeset_chart(c) for c in report.charts],
        sections=[_typeset_node(n) for n in report.sections],
        coverage=report.coverage
        and Coverage(
            [fr(x) for x in report.coverage.nodes_without_evidence],
            [fr(x) for x in report.coverage.organisations_never_cited],
        ),
        labels=Labels(**{f.name: fr(getattr(report.labels, f.name)) for f in fields(Labels)}),
    )


def _typeset_chart(chart: Chart) -> Chart:
    return replace(
        chart,
        title=fr(chart.title),
        categories=tuple(fr(c) for c in chart.categories),
        series=tuple(Series(fr(s.name), s.values) for s in chart.series),
        value_label=fr(chart.value_label),
    )


def _typeset_node(node: Node) -> Node:
    return replace(
        node,
        title=fr(node.title),
        questions=[fr(q) for q in node.questions],
        analysis_markdown=fr(node.analysis_markdown),
        examples=[fr(e) for e in node.examples],
        quotes=[
            ReportQuote(
                fr(q.text),
                q.attribution
                and Attribution(
                    fr(q.attribution.person),
                    fr(q.attribution.role),
                    fr(q.attribution.org),
                    fr(q.attribution.country),
                ),
            )
            for q in node.quotes
        ],
        boxes=[Box(fr(b.title), fr(b.label), [fr(p) for p in b.paragraphs]) for b in node.boxes],
        coverage_notes=[fr(c) for c in node.coverage_notes],
        children=[_typeset_node(c) for c in node.children],
    )
