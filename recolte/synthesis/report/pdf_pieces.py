"""A long report's PDF laid out in pieces by forked worker processes, then joined with pypdf.

Pieces start where the layout forces a new page anyway (figures, each axis, each long section,
coverage), so each lays out exactly as inside the whole document. What needs the whole document
is settled once every piece is laid out:
- "page X / Y": each worker learns its first page number and the total, and stamps its pages
  (one small WeasyPrint page per number, overlaid), while this process lays out the contents;
- the contents: laid out here with the page numbers known; their links (`recolte-toc:<anchor>`)
  are pointed at the pages;
- bookmarks: rebuilt over the joined file from every piece's headings.
Fonts are embedded per piece (a few subsets of the same DejaVu faces).
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import traceback
from collections import defaultdict
from collections.abc import Sequence
from multiprocessing.connection import Connection
from typing import BinaryIO

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, FloatObject, NameObject, NullObject
from weasyprint import HTML

from .html_writer import TAIL, PagedHtml, Piece
from .pdf_writer import no_fetch

LOGGER = logging.getLogger("weasyprint")
PX_TO_PT = 0.75
TOC_SCHEME = "recolte-toc:"
PIECE_CSS = """
@page { @bottom-right { content: none } }
nav.toc a::after { content: leader(".") attr(data-page); }
"""
# Same place and face as the @bottom-right box of html_writer's @page: right edge of the text
# block, centred in the 2.2 cm bottom margin.
STAMP_CSS = """
@page { size: A4; margin: 282.19mm 19.84mm 0; }
p { font: 8pt "DejaVu Sans"; color: #5b6b69; text-align: right; margin: 0;
    break-after: page; }
"""
Mark = tuple[int, str, int, float, float]  # bookmark level, label, page index, x, y (CSS px)


def write_pdf_in_pieces(paged: PagedHtml, out: BinaryIO, workers: int) -> bool:
    """False when the report does not split into at least two pieces."""
    pieces = paged.pieces()
    groups = [[pieces[i] for i in run] for run in _groups([p.weight for p in pieces], workers)]
    if len(groups) < 2:
        return False
    head, word = paged.head(PIECE_CSS), paged.labels.page
    ctx = multiprocessing.get_context("fork")
    jobs: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []
    try:
        for group in groups:
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_work, args=(head, group, child, word), daemon=True)
            proc.start()
            child.close()
            jobs.append((proc, parent))
        # While the pieces are laid out: the contents' length, with wide stand-in numbers.
        front_pages = len(_front(paged, defaultdict(lambda: 888)).pages)
        layouts = [_receive(conn) for _, conn in jobs]
        for _ in range(3):  # the numbers rarely change how many pages the contents take
            firsts = _firsts(front_pages, [n for n, _, _ in layouts])
            where = {
                a: (firsts[k] - 1 + i, x, y)
                for k, (_, anchors, _) in enumerate(layouts)
                for a, (i, x, y) in anchors.items()
            }
            front = _front(paged, {a: i + 1 for a, (i, _, _) in where.items()})
            if len(front.pages) == front_pages:
                break
            front_pages = len(front.pages)
        total = firsts[-1] - 1 + layouts[-1][0]
        for first, (_, conn) in zip(firsts, jobs, strict=True):
            conn.send((first, total))
        front_pdf = _stamp(front.write_pdf(), 1, total, word, skip=1)  # no number on the cover
        pdfs = [_receive(conn) for _, conn in jobs]
    finally:
        for proc, conn in jobs:
            conn.close()
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
    marks = [(lvl, label, i, x, y) for lvl, label, i, x, y in _marks(front)]
    for first, (_, _, piece_marks) in zip(firsts, layouts, strict=True):
        marks += [(lvl, label, first - 1 + i, x, y) for lvl, label, i, x, y in piece_marks]
    _join(front_pdf, pdfs, where, marks, out)
    return True


def _groups(weights: Sequence[int], n: int) -> list[list[int]]:
    """At most n runs of consecutive indexes, with the heaviest run as light as possible."""
    best: dict[tuple[int, int], tuple[int, list[int]]] = {}

    def split(start: int, k: int) -> tuple[int, list[int]]:
        # (heaviest run, cut points) for weights[start:] in at most k runs
        if (start, k) not in best:
            options = [(sum(weights[start:]), [])]
            if k > 1:
                run = 0
                for end in range(start + 1, len(weights)):
                    run += weights[end - 1]
                    heaviest, cuts = split(end, k - 1)
                    options.append((max(run, heaviest), [end, *cuts]))
            best[(start, k)] = min(options, key=lambda o: o[0])
        return best[(start, k)]

    bounds = [0, *split(0, n)[1], len(weights)]
    return [list(range(a, b)) for a, b in zip(bounds, bounds[1:], strict=False)]


def _firsts(front_pages: int, counts: list[int]) -> list[int]:
    firsts, page = [], front_pages + 1
    for n in counts:
        firsts.append(page)
        page += n
    return firsts


def _front(paged: PagedHtml, page_of: dict[str, int]):
    html = paged.head(PIECE_CSS) + paged.front(page_of) + TAIL
    return HTML(string=html, url_fetcher=no_fetch).render()


def _marks(document) -> list[Mark]:
    return [
        (level, label, i, x, y)
        for i, page in enumerate(document.pages)
        for level, label, (x, y), _state in page.bookmarks
    ]


class _Records(logging.Handler):
    """WeasyPrint's warnings in a worker, sent back to be logged by the parent."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args, record.exc_info = record.getMessage(), None, None
        self.records.append(record)


def _work(head: str, group: list[Piece], conn: Connection, word: str) -> None:
    records = _Records()
    LOGGER.addHandler(records)
    try:
        html = head + "".join(piece.build() for piece in group) + TAIL
        document = HTML(string=html, url_fetcher=no_fetch).render()
        anchors: dict[str, tuple[int, float, float]] = {}
        for i, page in enumerate(document.pages):  # a section split over pages starts on its first
            for name, (x, y, _w, _h) in page.anchors.items():
                anchors.setdefault(name, (i, x, y))
        conn.send(("ok", (len(document.pages), anchors, _marks(document)), records.records))
        records.records = []
        pdf = document.write_pdf()  # needs no page number: no waiting for the other pieces
        first, total = conn.recv()
        conn.send(("ok", _stamp(pdf, first, total, word), records.records))
    except BaseException:  # noqa: BLE001 — any failure goes back to the parent, which raises
        conn.send(("error", traceback.format_exc(), records.records))
    finally:
        conn.close()


def _receive(conn: Connection):
    try:
        status, value, records = conn.recv()
    except EOFError as exc:
        raise RuntimeError("a PDF worker process died") from exc
    for record in records:
        LOGGER.handle(record)
    if status != "ok":
        raise RuntimeError(f"a PDF worker failed:\n{value}")
    return value


def _stamp(pdf: bytes, first: int, total: int, word: str, skip: int = 0) -> bytes:
    """Pages from `skip` on get "word N / total", numbered from first + skip."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    numbers = range(first + skip, first + len(writer.pages))
    stamps = HTML(
        string=f"<style>{STAMP_CSS}</style>"
        + "".join(f"<p>{word} {n} / {total}</p>" for n in numbers)
    ).write_pdf()
    for page, stamp in zip(writer.pages[skip:], PdfReader(io.BytesIO(stamps)).pages, strict=True):
        page.merge_page(stamp)
        page.compress_content_streams()
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _join(
    front: bytes,
    pieces: list[bytes],
    where: dict[str, tuple[int, float, float]],
    marks: list[Mark],
    out: BinaryIO,
) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(front)))
    front_pages = len(writer.pages)
    for piece in pieces:
        writer.append(PdfReader(io.BytesIO(piece)), import_outline=False)
    height = float(writer.pages[0].mediabox.height)

    def dest(i: int, x: float, y: float) -> ArrayObject:
        return ArrayObject(
            [
                writer.pages[i].indirect_reference,
                NameObject("/XYZ"),
                FloatObject(x * PX_TO_PT),
                FloatObject(height - y * PX_TO_PT),
                NullObject(),
            ]
        )

    for page in writer.pages[:front_pages]:
        for ref in page.get("/Annots", []):
            annot = ref.get_object()
            uri = str(annot.get("/A", {}).get("/URI", ""))
            if uri.startswith(TOC_SCHEME):
                del annot["/A"]
                annot[NameObject("/Dest")] = dest(*where[uri.removeprefix(TOC_SCHEME)])
    writer.root_object.pop(NameObject("/Outlines"), None)
    parents: list[tuple[int, object]] = [(0, None)]
    for level, label, i, x, y in marks:
        while parents[-1][0] >= level:
            parents.pop()
        item = writer.add_outline_item(title=label, page_number=i, parent=parents[-1][1])
        item.get_object()[NameObject("/Dest")] = dest(i, x, y)
        parents.append((level, item))
    writer.write(out)
