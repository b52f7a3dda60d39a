"""Labelled passages (a published analysis cut into coded paragraphs) loaded as coded resources.

Granularity: one resource per passage outside boxes, and one resource of kind "box" per box
(its passages in order, blank lines between), so the report finds boxes as box resources. Each
passage becomes one coding spanning its text on its code; a pull quote is coded without the
attribution parenthesis that closes it, and carries a Quote (person, organisation, country;
consent "given": the source is already published). Organisations are matched on the registry's
acronyms, names and aliases; unknown ones are created with nature "other".

Running it twice changes nothing: each resource remembers the passage or box id it came from
(`ResourceVersion.extra["labelled_id"]`). Corpus processing is left to the task worker, enqueued
as for any stored resource; reports do not need it (centrality falls back to TF-IDF).
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from recolte.coding.models import Code, Coding, Consent
from recolte.coding.services import codebook_import, quote_mark
from recolte.collection.ingest.text import normalise
from recolte.collection.models import Instrument, Resource, ResourceVersion
from recolte.collection.services import ResourceMeta, resource_create
from recolte.registry.models import Country, Nature, Organisation, Person, Programme

INSTRUMENTS = {
    "carnet_de_route": Instrument.FIELD_LOGBOOK,
    "reunion_in_situ": Instrument.SITE_MEETING,
}
_CLOSING_ATTRIBUTION = re.compile(r"\s*\([^()]{1,120}\)\s*\.?\s*$")
_GUILLEMETS = '«»"“” \u00a0\u202f'


@dataclass
class LabelledReport:
    programme: Programme
    resources: int = 0
    skipped: int = 0
    codings: int = 0
    quotes: int = 0
    boxes: int = 0
    organisations_created: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.resources} resources created ({self.boxes} boxes), {self.skipped} already "
            f"there; {self.codings} codings, {self.quotes} quotes; "
            f"{len(self.organisations_created)} organisations created."
        )


def read_passages(path: Path) -> list[dict]:
    """The passages of a JSON-lines file, first occurrence of each id only."""
    seen, out = set(), []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            if row["id"] not in seen:
                seen.add(row["id"])
                out.append(row)
    return out


def quote_span(text: str) -> tuple[int, int]:
    """The quotation inside a pull-quote passage: no closing attribution, no guillemets."""
    end = len(text)
    if m := _CLOSING_ATTRIBUTION.search(text):
        end = m.start()
    start = 0
    while start < end and text[start] in _GUILLEMETS:
        start += 1
    while end > start and text[end - 1] in _GUILLEMETS:
        end -= 1
    return (start, end) if end > start else (0, len(text))


class OrgIndex:
    """Registry organisations by folded acronym, name or alias; unknown names are created."""

    def __init__(self, programme: Programme, report: LabelledReport) -> None:
        self.programme, self.report = programme, report
        self.index: dict[str, Organisation] = {}
        for org in Organisation.objects.filter(programme=programme):
            for name in (org.name, org.acronym, *org.alias_list()):
                if name:
                    self.index.setdefault(name.casefold(), org)

    def get(self, name: str) -> Organisation:
        name = name.strip()
        found = self.index.get(name.casefold())
        if found is None:
            found = Organisation.objects.create(
                programme=self.programme, name=name[:200], nature=Nature.OTHER
            )
            self.index[name.casefold()] = found
            self.report.organisations_created.append(name)
        return found

    def split(self, label: str | None) -> list[Organisation]:
        return [self.get(p) for p in re.split(r"\s*/\s*", label or "") if p.strip()]


def _programme(slug: str, codebook: dict) -> Programme:
    found = Programme.objects.filter(slug=slug).first()
    if found:
        return found
    year = int(str(codebook.get("date") or datetime.date.today().year)[:4])
    return Programme.objects.create(
        slug=slug,
        name=codebook.get("title") or slug,
        acronym=slug.upper()[:30],
        start_year=year,
        end_year=year,
    )


@transaction.atomic
def import_labelled(
    *, codebook_path: Path, passages_path: Path, slug: str = "caac", by=None
) -> LabelledReport:
    codebook = json.loads(Path(codebook_path).read_text(encoding="utf-8"))
    programme = _programme(slug, codebook)
    codebook_import(programme=programme, data=codebook)
    report = LabelledReport(programme)
    codes = {c.key: c for c in Code.objects.filter(programme=programme)}
    orgs = OrgIndex(programme, report)
    done = set(
        ResourceVersion.objects.filter(
            resource__programme=programme, extra__has_key="labelled_id"
        ).values_list("extra__labelled_id", flat=True)
    )
    units: dict[str, list[dict]] = {}
    for p in read_passages(Path(passages_path)):
        units.setdefault(p["box"]["id"] if p.get("box") else p["id"], []).append(p)
    for unit_id, parts in units.items():
        if unit_id in done:
            report.skipped += 1
            continue
        _store(unit_id, parts, programme, codes, orgs, report, by)
    return report


def _store(
    unit_id: str,
    parts: list[dict],
    programme: Programme,
    codes: dict[str, Code],
    orgs: OrgIndex,
    report: LabelledReport,
    by,
) -> None:
    first = parts[0]
    box = first.get("box")
    named = {
        o.pk: o
        for p in parts
        for o in [
            *map(orgs.get, p.get("orgs") or []),
            *orgs.split((p.get("attribution") or {}).get("org")),
        ]
    }
    texts = [normalise(p["text"]) for p in parts]
    resource = resource_create(
        programme=programme,
        text="\n\n".join(texts),
        by=by,
        meta=ResourceMeta(
            title=(box["title"] if box else f"{first['path'][-1]} ({unit_id})")[:300],
            kind=Resource.Kind.BOX if box else Resource.Kind.DOCUMENT,
            instrument=INSTRUMENTS.get(first.get("instrument") or "", ""),
            organisations=list(named.values()),
            language="fr",
        ),
    )
    version = resource.versions.get()
    version.extra = {**version.extra, "labelled_id": unit_id}
    version.save(update_fields=["extra"])
    report.resources += 1
    report.boxes += bool(box)
    cursor = 0
    for part, text in zip(parts, texts, strict=True):
        start = version.text.index(text, cursor)
        cursor = start + len(text)
        attribution = part.get("attribution")
        lo, hi = quote_span(text) if attribution else (0, len(text))
        coding = Coding.objects.create(
            version=version, start=start + lo, end=start + hi, code=codes[part["code"]], coder=by
        )
        report.codings += 1
        if attribution:
            _quote(coding, attribution, orgs)
            report.quotes += 1


def _quote(coding: Coding, attribution: dict, orgs: OrgIndex) -> None:
    organisation = (orgs.split(attribution.get("org")) or [None])[0]
    name = (attribution.get("person") or "").strip()
    person = None
    if name and organisation is not None:
        first, _, last = name.partition(" ")
        person, _ = Person.objects.get_or_create(
            organisation=organisation, first_name=first, last_name=last
        )
    country = Country.objects.filter(name_fr=attribution.get("country") or "").first()
    # An attribution naming neither a speaker nor a known organisation is printed as anonymous.
    quote_mark(
        coding=coding,
        person=person,
        person_name=name,
        organisation=organisation,
        country=country,
        consent=Consent.GIVEN,
        anonymous=not name and organisation is None,
    )
