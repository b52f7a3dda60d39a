"""Read-only views of the coding: frequencies, code × attribute matrices, co-occurrence, quotes.

A "passage" in counts is the corpus passage a coding lies in, or the coded span itself when the
corpus has none for it; organisations are those the coded resources are attributed to.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from recolte.coding.codebook import descendants, tree
from recolte.coding.models import Code, Coding, Quote
from recolte.collection.models import Instrument, Resource
from recolte.registry.models import Nature, Programme

ATTRIBUTES = {
    "nature": _("organisation nature"),
    "pilot": _("pilot operation"),
    "country": _("country"),
    "instrument": _("instrument"),
    "campaign": _("campaign"),
    "year": _("year"),
    "language": _("language"),
}
NONE = ""  # the column of codings whose resource has no value for the attribute


def codings_of(programme: Programme, coder=None) -> QuerySet[Coding]:
    codings = Coding.objects.filter(code__programme=programme)
    return codings.filter(coder=coder) if coder is not None else codings


def unit_of(coding: Coding) -> tuple:
    return ("p", coding.passage_id) if coding.passage_id else (
        "s", coding.version_id, coding.start, coding.end
    )  # fmt: skip


def _resource_organisations(resource_ids: Iterable[int]) -> dict[int, list]:
    through = Resource.organisations.through.objects.filter(resource_id__in=set(resource_ids))
    found: dict[int, list] = defaultdict(list)
    for row in through.select_related("organisation__country"):
        found[row.resource_id].append(row.organisation)
    return found


def _values(attribute: str, resource: Resource, organisations: list) -> set[tuple]:
    if attribute == "nature":
        natures = dict(Nature.choices)
        return {(o.nature, str(natures.get(o.nature, o.nature))) for o in organisations}
    if attribute == "country":
        found = {(o.country_id, str(o.country)) for o in organisations if o.country_id}
        if not found and resource.pilot_id:
            found = {(c.code, str(c)) for c in resource.pilot.countries.all()}
        return found
    if attribute == "pilot":
        return {(resource.pilot_id, str(resource.pilot))} if resource.pilot_id else set()
    if attribute == "instrument":
        campaign = resource.campaign.instrument if resource.campaign_id else ""
        instrument = resource.instrument or campaign
        label = str(dict(Instrument.choices).get(instrument, instrument))
        return {(instrument, label)} if instrument else set()
    if attribute == "campaign":
        return {(resource.campaign_id, str(resource.campaign))} if resource.campaign_id else set()
    if attribute == "year":
        when = resource.date or resource.created
        return {(when.year, str(when.year))}
    return {(resource.language, resource.language)} if resource.language else set()


def attribute_values(attribute: str, resources: dict[int, Resource]) -> dict[int, list]:
    """For each resource id, its (value, label) pairs for `attribute` (several for M2M ones)."""
    if attribute not in ATTRIBUTES:
        raise ValueError(attribute)
    organisations = _resource_organisations(resources) if attribute in ("nature", "country") else {}
    out: dict[int, list] = {}
    for pk, resource in resources.items():
        values = _values(attribute, resource, organisations.get(pk, []))
        out[pk] = sorted({(str(v), label) for v, label in values}) or [(NONE, "—")]
    return out


@dataclass
class Cell:
    codings: int = 0
    passages: set = field(default_factory=set)
    organisations: set = field(default_factory=set)


@dataclass
class Matrix:
    attribute: str
    columns: list[tuple[str, str]]  # (value, label)
    rows: list[tuple[Code, int, dict[str, Cell]]]  # code, depth, value -> cell


def _ancestors(codes: dict[int, Code], code_id: int) -> list[int]:
    chain = []
    while code_id is not None:
        chain.append(code_id)
        code_id = codes[code_id].parent_id
    return chain


def matrix(programme: Programme, attribute: str, *, rollup: bool = False, coder=None) -> Matrix:
    """Codes × values of `attribute`: codings, distinct passages, distinct organisations.

    With `rollup`, a coding also counts for every ancestor of its code (once per passage).
    """
    codings = list(
        codings_of(programme, coder)
        .only("id", "code_id", "passage_id", "version_id", "start", "end", "version__resource_id")
        .select_related("version")
    )
    resource_ids = {c.version.resource_id for c in codings}
    resources = Resource.objects.filter(pk__in=resource_ids).select_related("pilot", "campaign")
    values = attribute_values(attribute, {r.pk: r for r in resources})
    organisations = _resource_organisations(resource_ids)
    order = tree(programme)
    codes = {code.pk: code for code, _depth in order}
    cells: dict[int, dict[str, Cell]] = defaultdict(lambda: defaultdict(Cell))
    labels: dict[str, str] = {}
    for coding in codings:
        resource_id = coding.version.resource_id
        targets = _ancestors(codes, coding.code_id) if rollup else [coding.code_id]
        for value, label in values[resource_id]:
            labels[value] = label
            for code_id in targets:
                cell = cells[code_id][value]
                cell.codings += 1
                cell.passages.add(unit_of(coding))
                cell.organisations.update(o.pk for o in organisations[resource_id])
    columns = sorted(labels.items(), key=lambda kv: (kv[0] == NONE, str(kv[1]).casefold()))
    rows = [(code, depth, dict(cells[code.pk])) for code, depth in order if code.pk in cells]
    return Matrix(attribute, columns, rows)


def cell_codings(
    programme: Programme, attribute: str, code: Code, value: str, *, rollup: bool = False
) -> list[Coding]:
    """The codings counted in one matrix cell."""
    ids = [code.pk, *(c.pk for c in descendants(code))] if rollup else [code.pk]
    codings = list(
        codings_of(programme)
        .filter(code_id__in=ids)
        .select_related("version__resource", "code", "coder")
    )
    resources = Resource.objects.filter(
        pk__in={c.version.resource_id for c in codings}
    ).select_related("pilot", "campaign")
    values = attribute_values(attribute, {r.pk: r for r in resources})
    return [c for c in codings if value in {v for v, _label in values[c.version.resource_id]}]


def frequencies(programme: Programme, coder=None) -> list[dict]:
    """Per code in tree order: codings, distinct passages and resources, with and below it."""
    codings = list(codings_of(programme, coder).select_related("version"))
    order = tree(programme)
    codes = {code.pk: code for code, _depth in order}
    own: dict[int, Counter] = defaultdict(Counter)
    below: dict[int, set] = defaultdict(set)
    resources: dict[int, set] = defaultdict(set)
    for coding in codings:
        own[coding.code_id]["codings"] += 1
        for code_id in _ancestors(codes, coding.code_id):
            below[code_id].add(unit_of(coding))
            resources[code_id].add(coding.version.resource_id)
    return [
        {
            "code": code,
            "depth": depth,
            "codings": own[code.pk]["codings"],
            "passages": len(below[code.pk]),
            "resources": len(resources[code.pk]),
        }
        for code, depth in order
    ]


def co_occurrence(programme: Programme, coder=None) -> dict[tuple[int, int], int]:
    """(code a, code b) with a < b → number of coding pairs that overlap or share a passage."""
    by_version: dict[int, list[Coding]] = defaultdict(list)
    for coding in codings_of(programme, coder).order_by("version", "start"):
        by_version[coding.version_id].append(coding)
    pairs: Counter = Counter()
    for items in by_version.values():
        for i, a in enumerate(items):
            for b in items[i + 1 :]:
                if a.code_id == b.code_id:
                    continue
                overlap = b.start < a.end
                together = a.passage_id is not None and a.passage_id == b.passage_id
                if overlap or together:
                    pairs[(min(a.code_id, b.code_id), max(a.code_id, b.code_id))] += 1
    return dict(pairs)


def quotes_bank(programme: Programme, code: Code | None = None) -> QuerySet[Quote]:
    """Quotes of the programme, of `code` and the codes below it when given."""
    quotes = Quote.objects.filter(coding__code__programme=programme)
    if code is not None:
        quotes = quotes.filter(coding__code_id__in=[code.pk, *(c.pk for c in descendants(code))])
    return quotes.select_related(
        "coding__version__resource", "coding__code", "person", "organisation", "country"
    ).order_by("coding__code__order", "coding__code_id", "coding__version", "coding__start")
