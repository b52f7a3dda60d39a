"""PDF through WeasyPrint from the standalone HTML and its print rules (A4, page X / Y, TOC
page references, running headers, PDF bookmarks from the headings, embedded DejaVu subsets)."""

from __future__ import annotations

from typing import BinaryIO

from weasyprint import HTML

from .document import Report
from .html_writer import build_html


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict:
    # The HTML is self-contained; refusing every fetch keeps a stray URL from reaching the
    # network or the file system while the PDF is laid out.
    raise ValueError(f"external resource refused: {url[:80]}")


def write_pdf(report: Report, out: BinaryIO) -> None:
    HTML(string=build_html(report), url_fetcher=_no_fetch).write_pdf(out)
