"""ODT via odfpy: headings, paragraphs, lists and tables in order; annotations as notes.

odfpy parses with defusedxml (no entities, no DTD), but on a syntax error it prints the whole
XML part to stdout and carries on with the part missing. Parts are therefore checked first
with a non-resolving lxml parser so malformed files are refused instead of silently truncated.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax import SAXException

from defusedxml import DefusedXmlException
from django.utils.translation import gettext_lazy as _
from lxml import etree
from odf import opendocument
from odf.element import Element, Node
from odf.namespaces import DCNS, OFFICENS, TABLENS, TEXTNS

from .errors import IngestError, corrupt
from .formats import ODT_LIMITS, unzip
from .model import Extracted, Note
from .text import first_line, join_blocks, normalise

PARTS = ("META-INF/manifest.xml", "content.xml", "styles.xml", "meta.xml", "settings.xml")
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
H, PARA, LIST, ITEM, HEADER = (
    (TEXTNS, "h"),
    (TEXTNS, "p"),
    (TEXTNS, "list"),
    (TEXTNS, "list-item"),
    (TEXTNS, "list-header"),
)
TABLE, ROW, CELL = (TABLENS, "table"), (TABLENS, "table-row"), (TABLENS, "table-cell")
ANNOTATION, ANNOTATION_END = (OFFICENS, "annotation"), (OFFICENS, "annotation-end")
# Containers whose children are read as blocks.
SECTIONS = frozenset(
    {
        (TEXTNS, "section"),
        (TEXTNS, "index-body"),
        (TABLENS, "table-header-rows"),
        (TABLENS, "table-rows"),
        (TABLENS, "table-row-group"),
    }
)
SKIP_INLINE = frozenset({(TEXTNS, "note"), (OFFICENS, "annotation")})


def _malformed(detail: object) -> IngestError:
    return IngestError(
        "malformed_xml",
        _("The ODT file contains malformed XML and cannot be read (%(detail)s)."),
        detail=str(detail)[:200],
    )


def _check_parts(zf: zipfile.ZipFile) -> None:
    names = set(zf.namelist())
    if "content.xml" not in names:
        raise corrupt("odt", "content.xml is missing")
    for name in PARTS:
        if name not in names:
            continue
        try:
            tree = etree.fromstring(zf.read(name), _SAFE)
        except etree.XMLSyntaxError as exc:
            raise _malformed(exc) from exc
        if tree.getroottree().docinfo.doctype:
            raise _malformed(f"{name} declares a DTD")


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.notes: list[Note] = []
        self.first_heading = ""

    def inline(self, el: Element, out: list[str], opened: dict[str, tuple[Note, int]]) -> None:
        for child in el.childNodes:
            if child.nodeType == Node.TEXT_NODE:
                out.append(child.data)
                continue
            if child.nodeType != Node.ELEMENT_NODE:
                continue
            name = child.qname
            if name == (TEXTNS, "s"):
                out.append(" " * int(child.getAttribute("c") or 1))
            elif name == (TEXTNS, "tab"):
                out.append("\t")
            elif name == (TEXTNS, "line-break"):
                out.append("\n")
            elif name == ANNOTATION:
                note = self.annotation(child)
                key = child.getAttrNS(OFFICENS, "name") or f"#{id(note)}"
                opened[key] = (note, len("".join(out)))
            elif name == ANNOTATION_END:
                note, start = opened.pop(child.getAttrNS(OFFICENS, "name") or "", (None, 0))
                if note is not None:
                    note.anchor = " ".join("".join(out)[start:].split())
            elif name not in SKIP_INLINE:
                self.inline(child, out, opened)

    def annotation(self, el: Element) -> Note:
        paras = [self.text(p) for p in el.childNodes if getattr(p, "qname", None) == PARA]
        creator = [c for c in el.childNodes if getattr(c, "qname", None) == (DCNS, "creator")]
        note = Note(normalise("\n".join(paras)), "", self.text(creator[0]) if creator else "")
        self.notes.append(note)
        return note

    def text(self, el: Element) -> str:
        """Paragraph text; a comment without a range inside the paragraph anchors to all of it."""
        out: list[str] = []
        opened: dict[str, tuple[Note, int]] = {}
        self.inline(el, out, opened)
        text = "".join(out).strip()
        for note, _start in opened.values():
            note.anchor = " ".join(text.split())
        return text

    def list_items(self, el: Element, level: int, items: list[str]) -> None:
        for item in el.childNodes:
            if getattr(item, "qname", None) not in (ITEM, HEADER):
                continue
            for child in item.childNodes:
                name = getattr(child, "qname", None)
                if name in (PARA, H):
                    text = self.text(child)
                    if text:
                        items.append("  " * level + "- " + text.replace("\n", " "))
                elif name == LIST:
                    self.list_items(child, level + 1, items)

    def table_rows(self, el: Element, rows: list[str]) -> None:
        for child in el.childNodes:
            name = getattr(child, "qname", None)
            if name == ROW:
                cells = [
                    " ".join(self.text(p) for p in cell.childNodes if hasattr(p, "qname"))
                    for cell in child.childNodes
                    if getattr(cell, "qname", None) == CELL
                ]
                cells = [" ".join(c.split()) for c in cells]
                if any(cells):
                    rows.append(" | ".join(cells).rstrip(" |"))
            elif name in SECTIONS:
                self.table_rows(child, rows)

    def container(self, el: Element) -> None:
        for child in el.childNodes:
            name = getattr(child, "qname", None)
            if name in (PARA, H):
                text = self.text(child)
                self.blocks.append(text)
                if name == H and text:
                    self.first_heading = self.first_heading or text
            elif name == LIST:
                items: list[str] = []
                self.list_items(child, 0, items)
                self.blocks.append("\n".join(items))
            elif name == TABLE:
                rows: list[str] = []
                self.table_rows(child, rows)
                self.blocks.append("\n".join(rows))
            elif name in SECTIONS:
                self.container(child)


def _meta(doc: opendocument.OpenDocument, local: str) -> str:
    for el in doc.meta.childNodes:
        if getattr(el, "qname", None) == (DCNS, local):
            return str(el).strip()
    return ""


def read_odt(data: bytes) -> Extracted:
    data = unzip(data, ODT_LIMITS)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            _check_parts(zf)
        doc = opendocument.load(io.BytesIO(data))
        walker = _Walker()
        walker.container(doc.text)
        title, language = _meta(doc, "title"), _meta(doc, "language")
    except (SAXException, DefusedXmlException) as exc:
        raise _malformed(exc) from exc
    text = join_blocks(walker.blocks)
    return Extracted(
        text=text,
        format="odt",
        sha256="",
        title=title or walker.first_heading or first_line(text),
        language_hint=language.split("-")[0].lower() or None,
        notes=walker.notes,
    )
