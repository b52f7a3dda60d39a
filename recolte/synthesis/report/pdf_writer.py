"""PDF through WeasyPrint from the standalone HTML and its print rules (A4, page X / Y, TOC
page references, running headers, PDF bookmarks from the headings, embedded DejaVu subsets).

WeasyPrint is single-threaded pure Python: a 300-page report takes ~18 s of CPU. A long report
is therefore cut where a page break is forced anyway and its pieces laid out by forked worker
processes (`pdf_pieces.py`); a short one, or a call from a multi-threaded process (where fork
is unsafe), is laid out in one piece here.
"""

from __future__ import annotations

import os
import threading
from typing import BinaryIO

from weasyprint import HTML

from .document import ReportDocument
from .html_writer import PagedHtml, text_size

PARALLEL_MIN_CHARS = 150_000  # below ~40 pages, forking costs more than it saves


def no_fetch(url: str, *args: object, **kwargs: object) -> dict:
    # The HTML is self-contained; refusing every fetch keeps a stray URL from reaching the
    # network or the file system while the PDF is laid out.
    raise ValueError(f"external resource refused: {url[:80]}")


def write_pdf(report: ReportDocument, out: BinaryIO, workers: int | None = None) -> None:
    """`workers`: processes laying out pieces in parallel; None picks one more than the CPUs
    for a long report (pieces are uneven, so a spare keeps both cores busy), 1 for a short one."""
    paged = PagedHtml(report)
    if workers is None:
        sections = paged.report.sections
        long = len(sections) > 1 and text_size(sections) >= PARALLEL_MIN_CHARS
        workers = (os.cpu_count() or 1) + 1 if long else 1
    if workers > 1 and threading.active_count() == 1:
        from .pdf_pieces import write_pdf_in_pieces

        if write_pdf_in_pieces(paged, out, workers):
            return
    HTML(string=paged.whole(), url_fetcher=no_fetch).write_pdf(out)
