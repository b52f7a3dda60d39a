"""HTML: sanitised with nh3 (scripts, styles and comments dropped), then flattened to text
that keeps paragraphs, list items ("- item") and table rows ("cell | cell")."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nh3

from .model import Extracted
from .text import decode, first_line, join_blocks

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BLOCKS = HEADINGS | {
    "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "blockquote",
    "pre", "dl", "dt", "dd", "figure", "figcaption", "address", "hr", "caption", "body",
}  # fmt: skip
LISTS = {"ul", "ol"}
CELLS = {"td", "th"}
INLINE = {"a", "b", "i", "em", "strong", "span", "u", "sub", "sup", "small", "mark", "q", "cite",
          "abbr", "code", "br"}  # fmt: skip
ALLOWED = BLOCKS | LISTS | CELLS | INLINE | {"li", "table", "thead", "tbody", "tfoot", "tr"}
DROPPED = {"script", "style", "title", "template", "noscript", "textarea", "select", "svg", "math"}

_TITLE = re.compile(r"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)
_LANG = re.compile(r"<html[^>]*\blang=[\"']?([A-Za-z]{2,3})", re.IGNORECASE)
_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([\w-]+)", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\r\n\f]+")


class _Flattener(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.line: list[str] = []
        self.items: list[str] = []
        self.rows: list[str] = []
        self.cells: list[str] = []
        self.cell: list[str] | None = None
        self.lists = self.tables = self.pre = 0

    def write(self, text: str) -> None:
        (self.cell if self.cell is not None else self.line).append(text)

    def end_line(self) -> None:
        raw = "".join(self.line)
        lines = raw.split("\n") if self.pre else [" ".join(p.split()) for p in raw.split("\n")]
        text = "\n".join(lines).strip("\n")
        if self.lists:  # keep the nesting indent put before the item's marker
            text = raw[: len(raw) - len(raw.lstrip(" "))] + text.lstrip()
        if text.strip() == "-":  # a list marker still waiting for its item's text (<li><p>…)
            return
        self.line = []
        if self.lists and text:
            self.items.append(text)
        elif text:
            self.blocks.append(text)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "br":
            self.write("\n")
        elif tag in CELLS and self.tables == 1:
            self.cell = []
        elif tag == "tr" and self.tables == 1:
            self.cells = []
        elif tag == "table":
            self.tables += 1
            if self.tables == 1:
                self.end_line()
        elif tag in LISTS:
            self.end_line()
            self.lists += 1
        elif tag == "li":
            self.end_line()
            self.line = ["  " * max(self.lists - 1, 0) + "- "]
        elif tag in BLOCKS:
            self.end_line()
            self.pre += tag == "pre"

    def handle_endtag(self, tag: str) -> None:
        if tag in CELLS and self.cell is not None:
            self.cells.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.tables == 1 and any(self.cells):
            self.rows.append(" | ".join(self.cells))
            self.cells = []
        elif tag == "table":
            self.tables = max(self.tables - 1, 0)
            if not self.tables and self.rows:
                self.blocks.append("\n".join(self.rows))
                self.rows = []
        elif tag in LISTS and self.lists:
            self.end_line()
            self.lists -= 1
            if not self.lists and self.items:
                self.blocks.append("\n".join(self.items))
                self.items = []
        elif tag == "li" or tag in BLOCKS:
            self.end_line()
            self.pre -= tag == "pre" and self.pre > 0

    def handle_data(self, data: str) -> None:
        self.write(data if self.pre else _SPACE.sub(" ", data))

    def text(self) -> str:
        self.close()
        self.end_line()
        if self.items:
            self.blocks.append("\n".join(self.items))
        return join_blocks(self.blocks)


def html_to_text(markup: str) -> str:
    """Readable text of an HTML document or fragment; nothing in it is ever executed."""
    clean = nh3.clean(markup, tags=ALLOWED, clean_content_tags=DROPPED, attributes={})
    flattener = _Flattener()
    flattener.feed(clean)
    return flattener.text()


def decode_html(data: bytes) -> tuple[str, str]:
    """A declared <meta charset> wins when it decodes cleanly; otherwise the text rules apply."""
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        declared = _CHARSET.search(data[:4096])
        if declared:
            name = declared.group(1).decode("ascii").lower()
            try:
                return data.decode(name), name
            except (LookupError, UnicodeDecodeError):
                pass
    return decode(data)


def read_html(data: bytes) -> Extracted:
    markup, encoding = decode_html(data)
    text = html_to_text(markup)
    title = _TITLE.search(markup)
    lang = _LANG.search(markup[:4096])
    return Extracted(
        text=text,
        format="html",
        sha256="",
        title=" ".join(html.unescape(title.group(1)).split()) if title else first_line(text),
        language_hint=lang.group(1).lower() if lang else None,
        encoding=encoding,
    )
