"""The report as a plain tree of dataclasses, independent of the database and of any format.

The synthesis layer fills a `ReportDocument` from the coded corpus (named apart from the `Report`
model, the row of one generation); the writers in this package turn it into DOCX, PDF, HTML or
Markdown. Text fields are plain text except `analysis_markdown` and box paragraphs, which
accept the small Markdown subset of `markdown.py`. Pseudonymisation and consent are applied
upstream: an `Attribution` holds exactly the pieces that may be printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

MAX_LEVEL = 5
TOC_DEPTH = 3  # node levels listed in the table of contents, in every format


@dataclass(slots=True)
class Attribution:
    """Who said it; empty pieces are left out (« … » (Awa, GRDR, Mali))."""

    person: str = ""
    role: str = ""
    org: str = ""
    country: str = ""

    def label(self) -> str:
        return ", ".join(p for p in (self.person, self.role, self.org, self.country) if p)


@dataclass(slots=True)
class ReportQuote:
    """A verbatim quotation; writers add the guillemets."""

    text: str
    attribution: Attribution | None = None

    def __post_init__(self) -> None:
        self.text = self.text.strip().removeprefix("«").removesuffix("»").strip()

    def attribution_label(self) -> str:
        return self.attribution.label() if self.attribution else ""


@dataclass(slots=True)
class Box:
    """An encadré: `label` names its source ("Carnet de route", "Réunion in situ", "Zoom sur")."""

    title: str
    label: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Table:
    """A small figures table (resources by instrument, responses per campaign)."""

    title: str
    columns: list[str]
    rows: list[list[str]]


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Chart:
    """Horizontal bars, one bar per category; several series are stacked or grouped.

    Frozen and made of tuples so a rendered chart can be cached and reused by every format.
    """

    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    stacked: bool = True
    value_label: str = ""

    def __post_init__(self) -> None:
        for s in self.series:
            if len(s.values) != len(self.categories):
                raise ValueError(
                    f"series {s.name!r}: {len(s.values)} values, {len(self.categories)} categories"
                )


@dataclass(slots=True)
class Node:
    """One heading of the analysis (axis, section, rubric, theme, sub-theme) and its content."""

    level: int
    title: str
    number: str = ""
    key: str = ""
    questions: list[str] = field(default_factory=list)
    analysis_markdown: str = ""
    is_draft: bool = False
    examples: list[str] = field(default_factory=list)
    quotes: list[ReportQuote] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    coverage_notes: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not 1 <= self.level <= MAX_LEVEL:
            raise ValueError(f"level must be 1–{MAX_LEVEL}, got {self.level}")

    def heading(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    def examples_label(self) -> str:
        return f"(Ex.\u00a0: {', '.join(self.examples)})" if self.examples else ""


@dataclass(slots=True)
class Coverage:
    """What the evidence does not reach: nodes without passages, organisations never cited."""

    nodes_without_evidence: list[str] = field(default_factory=list)
    organisations_never_cited: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.nodes_without_evidence or self.organisations_never_cited)


@dataclass(frozen=True, slots=True)
class Labels:
    """The report's fixed wording; French by default, replaceable for another language."""

    contents: str = "Sommaire"
    figures: str = "Le dispositif de capitalisation en chiffres"
    figure: str = "Figure"
    draft: str = "Brouillon généré à partir des passages codés, à relire et réécrire"
    coverage: str = "Couverture du corpus"
    nodes_without_evidence: str = "Rubriques sans élément probant"
    organisations_never_cited: str = "Organisations jamais citées"
    page: str = "page"
    toc_update: str = "Mettez à jour les champs (F9) pour afficher les numéros de page."


@dataclass(slots=True)
class ReportDocument:
    title: str
    subtitle: str = ""
    programme_facts: list[tuple[str, str]] = field(default_factory=list)
    device_figures: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    sections: list[Node] = field(default_factory=list)
    coverage: Coverage | None = None
    labels: Labels = field(default_factory=Labels)

    def walk(self) -> Iterator[tuple[Node, str]]:
        """Every node in document order with a stable, unique anchor."""
        seen: set[str] = set()

        def visit(nodes: Sequence[Node], path: str) -> Iterator[tuple[Node, str]]:
            for i, node in enumerate(nodes, 1):
                here = f"{path}-{i}"
                anchor = "n-" + (_slug(node.key) if node.key else here.lstrip("-"))
                while anchor in seen:
                    anchor += "x"
                seen.add(anchor)
                yield node, anchor
                yield from visit(node.children, here)

        yield from visit(self.sections, "")


def _slug(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", key).strip("-") or "x"
