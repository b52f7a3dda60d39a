"""Drafts built only from evidence: templated sentences over computed facts, and extracts.

Every sentence is either a count (with the list it counts) or a verbatim extract of a coded
passage with its source, so a draft says nothing the corpus does not. The facilitator rewrites it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from recolte.collection.instruments import REPORT_LABELS

from .evidence import Item

EXTRACT_CHARS = 320
_MD_SPECIAL = re.compile(r"([\\*_`\[\]<>#])")


@dataclass(slots=True)
class NodeFacts:
    passages: int
    resources: int
    organisations: list[tuple[str, int]]  # label, passages; most frequent first
    countries: list[str]
    instruments: list[tuple[str, int]]


def facts(items: Sequence[Item]) -> NodeFacts:
    orgs: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    instruments: Counter[str] = Counter()
    for item in items:
        orgs.update({o.label for o in item.orgs})
        countries.update(
            {o.country for o in item.orgs if o.country}
            | ({item.quote.country} if item.quote and item.quote.country else set())
        )
        if item.instrument:
            instruments[REPORT_LABELS.get(item.instrument, item.instrument)] += 1
    return NodeFacts(
        passages=len(items),
        resources=len({i.resource_id for i in items}),
        organisations=sorted(orgs.items(), key=lambda kv: (-kv[1], kv[0].casefold())),
        countries=[c for c, _n in sorted(countries.items(), key=lambda kv: (-kv[1], kv[0]))],
        instruments=sorted(instruments.items(), key=lambda kv: (-kv[1], kv[0])),
    )


def plural(n: int, one: str, many: str) -> str:
    return f"{n}\u00a0{one if n == 1 else many}"


def extract(text: str, limit: int = EXTRACT_CHARS) -> str:
    """The passage on one line, cut after a sentence (or a word) near `limit`, marked […]."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[:limit]
    stop = max(head.rfind(". "), head.rfind("! "), head.rfind("? "))
    cut = head[: stop + 1] if stop > limit // 2 else head[: head.rfind(" ")].rstrip(",;:")
    return f"{cut} […]"


def escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def source_of(item: Item) -> str:
    """Organisations and instrument of a passage, or its resource's title when it has neither."""
    orgs = ", ".join(o.label for o in item.orgs[:3]) + (", etc." if len(item.orgs) > 3 else "")
    instrument = REPORT_LABELS.get(item.instrument, "") if item.instrument else ""
    return ", ".join(p for p in (orgs, instrument) if p) or extract(item.resource_title, 60)


def draft(items: Sequence[Item], key: Sequence[Item]) -> str:
    """The Markdown draft of a node from its codings (`items`) and its key passages (`key`)."""
    f = facts(items)
    origin = "d’une ressource" if f.resources == 1 else f"de {f.resources}\u00a0ressources"
    lines = [
        f"Cette rubrique s’appuie sur {plural(f.passages, 'passage codé', 'passages codés')} "
        f"{'issu' if f.passages == 1 else 'issus'} {origin}."
    ]
    if f.organisations:
        named = ", ".join(f"{escape(label)} ({n})" for label, n in f.organisations[:12])
        more = len(f.organisations) - 12
        lines.append(
            f"Organisations citées ({len(f.organisations)}, nombre de passages entre "
            f"parenthèses)\u00a0: {named}"
            + (f" et {plural(more, 'autre', 'autres')}" if more > 0 else "")
            + "."
        )
    if f.countries:
        lines.append(f"Pays\u00a0: {', '.join(escape(c) for c in f.countries)}.")
    if f.instruments:
        lines.append(
            "Instruments\u00a0: "
            + ", ".join(f"{escape(label)} ({n})" for label, n in f.instruments)
            + "."
        )
    if key:
        lines.append("Passages les plus représentatifs\u00a0:")
        lines.append(
            "\n".join(f"- « {escape(extract(i.text))} » ({escape(source_of(i))})" for i in key)
        )
    return "\n\n".join(lines)
