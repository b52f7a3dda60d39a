"""The report's document model, its formats and their renderers (DOCX, PDF, HTML, Markdown).

from recolte.synthesis.report import ReportDocument, Node, render
data = render(document, "pdf")
"""

from __future__ import annotations

import io

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
from .formats import FORMATS, ReportFormat, report_format


def render(document: ReportDocument, fmt: str) -> bytes:
    buf = io.BytesIO()
    report_format(fmt).writer()(document, buf)
    return buf.getvalue()


__all__ = [
    "FORMATS",
    "Attribution",
    "Box",
    "Chart",
    "Coverage",
    "Labels",
    "Node",
    "ReportDocument",
    "ReportFormat",
    "ReportQuote",
    "Series",
    "Table",
    "render",
    "report_format",
]
