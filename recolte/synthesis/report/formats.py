"""The report formats: every fact about a format, in one place.

The staff export form and download, the task that renders, the publication snapshot, the
portal's list and download and the erasure of a name all read `FORMATS`; a new format is its
writer module and one `ReportFormat` below. The order is the portal's list order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from .document import ReportDocument


@dataclass(frozen=True, slots=True)
class ReportFormat:
    key: str
    label: str  # as the portal names the download
    extension: str
    content_type: str
    # "module.function" taking (ReportDocument, binary stream); imported when first used, since
    # WeasyPrint and python-docx take seconds to load.
    writer_path: str
    quick: bool = False  # renders in about a second: written inside the request
    preselected: bool = False  # ticked on the export form
    inline: bool = False  # the portal shows it in the browser instead of downloading it
    text: bool = False  # the file is readable text (erasure searches it for names)

    def writer(self) -> Callable[[ReportDocument, BinaryIO], None]:
        return import_string(self.writer_path)

    def file_name(self, stem: str) -> str:
        return f"{stem}.{self.extension}"


_W = "recolte.synthesis.report."

FORMATS: dict[str, ReportFormat] = {
    f.key: f
    for f in (
        ReportFormat(
            "pdf", "PDF", "pdf", "application/pdf", _W + "pdf_writer.write_pdf", preselected=True
        ),
        ReportFormat(
            "docx",
            "Word (DOCX)",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            _W + "docx_writer.write_docx",
            preselected=True,
        ),
        ReportFormat(
            "html",
            "HTML",
            "html",
            "text/html; charset=utf-8",
            _W + "html_writer.write_html",
            quick=True,
            inline=True,
            text=True,
        ),
        ReportFormat(
            "md",
            "Markdown",
            "md",
            "text/markdown; charset=utf-8",
            _W + "md_writer.write_md",
            quick=True,
            text=True,
        ),
    )
}


def report_format(key: str) -> ReportFormat:
    """The format named `key`; ValueError for any other name."""
    found = FORMATS.get(key)
    if found is None:
        raise ValueError(f"unknown report format {key!r}; expected one of {', '.join(FORMATS)}")
    return found
