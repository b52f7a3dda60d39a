"""The Markdown subset facilitators write analyses in: paragraphs, bullet and numbered lists,
*emphasis* and **strong**. Everything else (headings, HTML, links, quotes) stays literal text,
so no markup from an analysis can reach an export unescaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from markdown_it import MarkdownIt

from .typography import fr

_PARSER = MarkdownIt("zero").enable(["emphasis", "list", "escape"])


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(slots=True)
class Block:
    """A paragraph (one item) or a list (one item per bullet); an item is a list of runs."""

    kind: Literal["p", "ul", "ol"]
    items: list[list[Run]] = field(default_factory=list)


def parse(source: str) -> list[Block]:
    """Typeset `source` in French and split it into blocks of styled runs."""
    blocks: list[Block] = []
    lists: list[Block] = []
    for tok in _PARSER.parse(fr(source or "")):
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            if not lists:  # nested lists are flattened into their outer list
                blocks.append(Block("ul" if tok.type == "bullet_list_open" else "ol"))
                lists.append(blocks[-1])
            else:
                lists.append(lists[-1])
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif tok.type == "inline":
            runs = _runs(tok.children or [])
            if not runs:
                continue
            if lists:
                lists[-1].items.append(runs)
            else:
                blocks.append(Block("p", [runs]))
    return blocks


def _runs(children: list) -> list[Run]:
    runs: list[Run] = []
    bold = italic = False
    for child in children:
        if child.type in ("strong_open", "strong_close"):
            bold = child.type == "strong_open"
        elif child.type in ("em_open", "em_close"):
            italic = child.type == "em_open"
        elif child.type in ("text", "text_special"):
            text = child.content.replace("\n", " ")
            if not text:
                continue
            if runs and (runs[-1].bold, runs[-1].italic) == (bold, italic):
                runs[-1] = Run(runs[-1].text + text, bold, italic)
            else:
                runs.append(Run(text, bold, italic))
    return runs


def plain(blocks: list[Block]) -> str:
    """The text of `blocks` without styling, one line per paragraph or item."""
    return "\n".join("".join(r.text for r in item) for b in blocks for item in b.items)
