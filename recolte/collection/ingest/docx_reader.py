"""DOCX: body paragraphs, headings, lists and tables in reading order, comments as notes.

python-docx parses with lxml `resolve_entities=False` (and lxml's defaults `no_network=True`,
`load_dtd=False`): entity references, external or internal, are never expanded, so XXE and
"billion laughs" payloads yield no text. Its own element API is bypassed for speed and to keep
tracked insertions, content controls and comment anchors, which it does not surface.
"""

from __future__ import annotations

import io
import re

import docx
from django.utils.translation import gettext_lazy as _
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from .errors import IngestError, corrupt
from .formats import unzip
from .model import Extracted, Note
from .text import first_line, join_blocks, normalise

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
P, TBL, TR, TC, T = W + "p", W + "tbl", W + "tr", W + "tc", W + "t"
CRS, CRE = W + "commentRangeStart", W + "commentRangeEnd"
# Deleted text, field instructions and compatibility fallbacks (duplicates) are not content.
SKIP = frozenset(
    {W + "del", W + "moveFrom", W + "delText", W + "instrText", W + "rPr", W + "pPr", MC_FALLBACK}
)
BREAKS = {W + "tab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}
_LEVEL = re.compile(r"(\d)$")


class _Walker:
    """Collects text blocks in reading order and the text anchored by each comment."""

    def __init__(self, headings: set[str], listed: set[str]) -> None:
        self.headings = headings  # style ids of heading styles
        self.listed = listed  # style ids whose definition carries numbering
        self.blocks: list[str] = []
        self.items: list[str] = []
        self.first_heading = ""
        self.opened: set[str] = set()
        self.anchors: dict[str, list[str]] = {}

    def runs(self, el: etree._Element, out: list[str]) -> None:
        for child in el:
            tag = child.tag
            if tag == T:
                text = child.text or ""
                out.append(text)
                for cid in self.opened:
                    self.anchors[cid].append(text)
            elif tag in BREAKS:
                out.append(BREAKS[tag])
            elif tag in (CRS, CRE):
                self.mark(child)
            elif tag == P:  # a text box paragraph nested in a run
                out.append("\n")
                self.runs(child, out)
                out.append("\n")
            elif isinstance(tag, str) and tag not in SKIP:
                self.runs(child, out)

    def mark(self, el: etree._Element) -> None:
        cid = el.get(W + "id", "")
        if el.tag == CRS:
            self.opened.add(cid)
            self.anchors.setdefault(cid, [])
        else:
            self.opened.discard(cid)

    def paragraph_text(self, p: etree._Element) -> str:
        out: list[str] = []
        self.runs(p, out)
        for cid in self.opened:
            self.anchors[cid].append("\n")
        return "".join(out).strip()

    def flush(self) -> None:
        if self.items:
            self.blocks.append("\n".join(self.items))
            self.items = []

    def paragraph(self, p: etree._Element) -> None:
        text = self.paragraph_text(p)
        if not text:
            return
        ppr = p.find(W + "pPr")
        style = num = None
        if ppr is not None:
            style_el = ppr.find(W + "pStyle")
            style = style_el.get(W + "val") if style_el is not None else None
            num = ppr.find(W + "numPr")
        if style in self.headings or (ppr is not None and ppr.find(W + "outlineLvl") is not None):
            self.flush()
            self.blocks.append(text)
            self.first_heading = self.first_heading or text
        elif (num is not None and num.find(W + "numId") is not None) or style in self.listed:
            self.items.append("  " * _list_level(num, style) + "- " + text.replace("\n", " "))
        else:
            self.flush()
            self.blocks.append(text)

    def table(self, tbl: etree._Element) -> None:
        self.flush()
        rows = []
        for tr in tbl.iterchildren(TR):
            cells = [self.cell_text(tc) for tc in tr.iterchildren(TC)]
            if any(cells):
                rows.append(" | ".join(cells))
        if rows:
            self.blocks.append("\n".join(rows))

    def cell_text(self, tc: etree._Element) -> str:
        # Paragraphs of nested tables too, but not those of text boxes inside runs.
        parts = (self.paragraph_text(p) for p in tc.iter(P) if p.getparent().tag == TC)
        return " ".join(" ".join(parts).split())

    def container(self, el: etree._Element) -> None:
        for child in el:
            tag = child.tag
            if tag == P:
                self.paragraph(child)
            elif tag == TBL:
                self.table(child)
            elif tag in (CRS, CRE):
                self.mark(child)
            elif tag in (W + "sdt", W + "sdtContent", W + "customXml"):
                self.container(child)
        self.flush()


def _list_level(num: etree._Element | None, style: str | None) -> int:
    if num is not None:
        ilvl = num.find(W + "ilvl")
        if ilvl is not None and (ilvl.get(W + "val") or "").isdigit():
            return min(int(ilvl.get(W + "val")), 8)
    match = _LEVEL.search(style or "")
    return int(match.group(1)) - 1 if match and match.group(1) != "0" else 0


_NS = {"w": W[1:-1]}
# XPath runs in C; iterating python-docx's custom element classes costs ~5 ms per document.
_HEADING_STYLES = etree.XPath(
    "w:style[w:name[starts-with(translate(@w:val, 'HEADINGTL', 'headingtl'), 'heading')"
    " or translate(@w:val, 'TITLE', 'title') = 'title']]/@w:styleId",
    namespaces=_NS,
)
_LIST_STYLES = etree.XPath(
    "w:style[w:pPr/w:numPr or w:name[starts-with(@w:val, 'List Bullet')"
    " or starts-with(@w:val, 'List Number')]]/@w:styleId",
    namespaces=_NS,
)


def _styles(document: docx.document.Document) -> tuple[set[str], set[str]]:
    """Style ids of heading styles and of styles that carry list numbering."""
    element = document.styles.element
    headings = set(_HEADING_STYLES(element))
    return headings, set(_LIST_STYLES(element)) - headings


def _notes(document: docx.document.Document, walker: _Walker) -> list[Note]:
    notes = []
    for rel in document.part.rels.values():
        if rel.reltype != RT.COMMENTS or rel.is_external:
            continue
        for comment in rel.target_part.element.iterchildren(W + "comment"):
            out: list[str] = []
            for p in comment.iter(P):
                out.append("".join(t.text or "" for t in p.iter(T)))
            anchor = walker.anchors.get(comment.get(W + "id", ""), [])
            notes.append(
                Note(
                    text=normalise("\n".join(out)),
                    anchor=" ".join("".join(anchor).split()),
                    author=comment.get(W + "author", ""),
                )
            )
    return notes


def _core_properties(document: docx.document.Document) -> tuple[str, str]:
    # python-docx invents "Word Document" as title when the part is missing: look first.
    if not any(r.reltype == RT.CORE_PROPERTIES for r in document.part.package.rels.values()):
        return "", ""
    props = document.core_properties
    return props.title or "", props.language or ""


def read_docx(data: bytes) -> Extracted:
    try:
        document = docx.Document(io.BytesIO(unzip(data)))
        headings, listed = _styles(document)
        walker = _Walker(headings, listed)
        walker.container(document.element.body)
        notes = _notes(document, walker)
        title, language = _core_properties(document)
    except etree.XMLSyntaxError as exc:
        raise IngestError(
            "malformed_xml",
            _("The DOCX file contains malformed XML and cannot be read (%(detail)s)."),
            detail=str(exc)[:200],
        ) from exc
    except PackageNotFoundError as exc:
        raise corrupt("docx", exc) from exc
    text = join_blocks(walker.blocks)
    return Extracted(
        text=text,
        format="docx",
        sha256="",
        title=title.strip() or walker.first_heading or first_line(text),
        language_hint=language.split("-")[0].lower() or None,
        notes=notes,
    )
