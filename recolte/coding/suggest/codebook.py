"""A read-only view of a thematic codebook (a tree of codes) for the suggestion model."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# How the coarser evaluation levels are derived from a code; reported with every evaluation.
LEVEL_DEFINITIONS = {
    "leaf": "the passage's code as given (deepest heading in force, sometimes a non-leaf node)",
    "theme": "nearest ancestor-or-self of kind 'theme'; the code itself when it has none",
    "section": "nearest ancestor-or-self of kind 'section'; the root of its tree when it has none",
}


@dataclass(frozen=True)
class CodeSpec:
    id: str
    label: str
    parent: str | None
    kind: str
    questions: tuple[str, ...]
    alt_label: str


class Codebook:
    """Codes indexed by id, with ancestry and the section/theme mapping used for evaluation."""

    def __init__(self, codes: Iterable[Mapping]):
        self.codes: dict[str, CodeSpec] = {}
        for c in codes:
            self.codes[c["id"]] = CodeSpec(
                id=c["id"],
                label=c.get("label") or c["id"],
                parent=c.get("parent"),
                kind=c.get("kind") or "",
                questions=tuple(c.get("questions") or ()),
                alt_label=c.get("toc_label") or "",
            )
        unknown = {c.parent for c in self.codes.values() if c.parent and c.parent not in self.codes}
        if unknown:
            raise ValueError(f"codes refer to unknown parents: {sorted(unknown)}")
        self.ids: list[str] = list(self.codes)

    @classmethod
    def from_data(cls, data: Mapping | list) -> Codebook:
        """Accept either the exported JSON object (with a ``codes`` list) or the bare list."""
        return cls(data["codes"] if isinstance(data, Mapping) else data)

    def lineage(self, code_id: str) -> list[CodeSpec]:
        """The root first, the code itself last."""
        chain = []
        node: str | None = code_id
        while node is not None:
            chain.append(self.codes[node])
            node = self.codes[node].parent
        return chain[::-1]

    def _nearest(self, code_id: str, kind: str) -> CodeSpec | None:
        return next((c for c in reversed(self.lineage(code_id)) if c.kind == kind), None)

    def section_of(self, code_id: str) -> str:
        found = self._nearest(code_id, "section")
        return found.id if found else self.lineage(code_id)[0].id

    def theme_of(self, code_id: str) -> str:
        found = self._nearest(code_id, "theme")
        return found.id if found else code_id

    def at_level(self, code_id: str, level: str) -> str:
        if level == "section":
            return self.section_of(code_id)
        if level == "theme":
            return self.theme_of(code_id)
        return code_id

    def own_text(self, code_id: str) -> str:
        """Label, alternative wording and guiding questions of one code."""
        c = self.codes[code_id]
        parts = [c.label]
        if c.alt_label and c.alt_label != c.label:
            parts.append(c.alt_label)
        parts.extend(c.questions)
        return ". ".join(parts)

    def path_text(self, code_id: str) -> str:
        """Ancestors' labels then the code's own text: the zero-shot description of a code."""
        chain = self.lineage(code_id)
        return " > ".join([a.label for a in chain[:-1]] + [self.own_text(code_id)])
