"""The report's document model and its four renderers (DOCX, PDF, HTML, Markdown).

from recolte.synthesis.report import Report, Node, render
data = render(report, "pdf")
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import BinaryIO

from .document import (
    Attribution,
    Box,
    Chart,
    Coverage,
    Labels,
    Node,
    Quote,
    Report,
    Series,
    Table,
)

# format → (content type, file extension)
FORMATS: dict[str, tuple[str, str]] = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "pdf": ("application/pdf", "pdf"),
    "html": ("text/html; charset=utf-8", "html"),
    "md": ("text/markdown; charset=utf-8", "md"),
}


def writer(fmt: str) -> Callable[[Report, BinaryIO], None]:
    """The `write_<fmt>` function; writers are imported lazily (WeasyPrint, python-docx)."""
    if fmt == "docx":
        from .docx_writer import write_docx as write
    elif fmt == "pdf":
        from .pdf_writer import write_pdf as write
    elif fmt == "html":
        from .html_writer import write_html as write
    elif fmt == "md":
        from .md_writer import write_md as write
    else:
        raise ValueError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return write


def render(report: Report, fmt: str) -> bytes:
    buf = io.BytesIO()
    writer(fmt)(report, buf)
    return buf.getvalue()


__all__ = [
    "FORMATS",
    "Attribution",
    "Box",
    "Chart",
    "Coverage",
    "Labels",
    "Node",
    "Quote",
    "Report",
    "Series",
    "Table",
    "render",
    "writer",
]
