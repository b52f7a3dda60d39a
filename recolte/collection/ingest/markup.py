"""HTML: sanitised with nh3 (scripts, styles and comments dropped), then flattened to text
that keeps paragraphs, list items ("- item") and table rows ("cell | cell")."""

from __future__ import annotations

import html
import re
from collections import Counter
from html.parser import HTMLParser

import nh3
from django.utils.translation import gettext_lazy as _

from .errors import IngestError
from .model import Extracted
from .text import decode, first_line, join_blocks

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BLOCKS = HEADINGS | {
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "nav",
    "blockquote",
    "pre",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "address",
    "hr",
    "caption",
    "body",
}
LISTS = {"ul", "ol"}
CELLS = {"td", "th"}
INLINE = {
    "a",
    "b",
    "i",
    "em",
    "strong",
    "span",
    "u",
    "sub",
    "sup",
    "small",
    "mark",
    "q",
    "cite",
    "abbr",
    "code",
    "br",
}
ALLOWED = BLOCKS | LISTS | CELLS | INLINE | {"li", "table", "thead", "tbody", "tfoot", "tr"}
DROPPED = {"script", "style", "title", "template", "noscript", "textarea", "select", "svg", "math"}

# The HTML tree builder scans the open elements at each tag, so time grows with depth × tags:
# 200,000 nested <div> took minutes. Tags beyond this depth are dropped, their text kept.
MAX_DEPTH = 256
# Past this many tags, parsing and flattening take over ~3 s (up to 5 µs a tag).
MAX_TAGS = 500_000
VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "script",
        "style",
        "textarea",
        "title",
    }
)  # (raw-text elements hold no tags, so they never deepen the tree either)
# Formatting elements are re-opened after every block they straddle (250 unclosed <b> made
# each later <div> cost 250 elements); the text never needs them, so they are dropped.
FORMATTING = frozenset(
    {
        "a",
        "b",
        "big",
        "code",
        "em",
        "font",
        "i",
        "nobr",
        "s",
        "small",
        "strike",
        "strong",
        "tt",
        "u",
    }
)
# Tags the tree builder closes by itself when the same tag opens again (<p>…<p>).
REOPENING = frozenset({"p", "li", "dt", "dd", "option", "tr", "td", "th"})
_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)[^>]*>")
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


def tame(markup: str) -> str:
    """`markup` made cheap to parse, in one linear pass: formatting tags and the tags that
    would open deeper than MAX_DEPTH are dropped (their text stays), and more than MAX_TAGS
    tags are refused.

    The open elements are tracked roughly (no implied ends but REOPENING): a wrong guess only
    drops a tag, never text.
    """
    if markup.count("<") <= MAX_DEPTH:
        return markup
    stack: list[str] = []
    dropped: Counter[str] = Counter()
    tags = 0

    def keep(match: re.Match) -> str:
        nonlocal tags
        tags += 1
        name = match.group(2).lower()
        if name in FORMATTING:
            return ""
        if name in VOID:
            return match.group(0)
        if match.group(1):  # an end tag closes what it dropped first, then what it opened
            if dropped[name]:
                dropped[name] -= 1
                return ""
            if name in stack:
                del stack[len(stack) - 1 - stack[::-1].index(name) :]
            return match.group(0)
        if stack and stack[-1] == name and name in REOPENING:
            stack.pop()
        if len(stack) >= MAX_DEPTH:
            dropped[name] += 1
            return ""
        stack.append(name)
        return match.group(0)

    tamed = _TAG.sub(keep, markup)
    if tags > MAX_TAGS:
        raise IngestError(
            "too_large",
            _("The HTML has %(count)s tags; the limit is %(limit)s."),
            count=f"{tags:,}",
            limit=f"{MAX_TAGS:,}",
        )
    return tamed


def html_to_text(markup: str) -> str:
    """Readable text of an HTML document or fragment; nothing in it is ever executed."""
    clean = nh3.clean(tame(markup), tags=ALLOWED, clean_content_tags=DROPPED, attributes={})
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
