"""The coded corpus read once into plain records: every coding with its text, provenance and quote.

A handful of `values()` queries whatever the corpus size, so assembling a report for thousands of
passages costs a few hundred milliseconds of database time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from recolte.coding.models import Coding, Consent, Quote, effective_consent
from recolte.collection.filters import Get, material_filters
from recolte.collection.models import Confidentiality, Resource, ResourceVersion
from recolte.registry.models import Organisation, Programme

# Years become dates: keep them to years a programme can have (0 or 10000 overflowed).
YEARS = range(1900, 2201)


def _year(value: str | int | None) -> int | None:
    try:
        year = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return year if year in YEARS else None


@dataclass(frozen=True, slots=True)
class Filters:
    """What part of the corpus a synthesis covers; empty values mean "all"."""

    axis: str = ""  # key of a top-level code, or an axis number
    instrument: str = ""
    pilot: int | None = None  # pilot operation id, as in the library and search
    year_from: int | None = None
    year_to: int | None = None
    campaign_id: int | None = None

    @classmethod
    def from_query(cls, get: Get) -> Filters:
        """Read the analysis filters from a query or a form: `instrument` and `pilot` through the
        reader the library and search use, plus the axis and years; malformed values are
        ignored."""
        material = material_filters(get)
        return cls(
            axis=(get("axis") or "").strip()[:50],
            instrument=material["instrument"],
            pilot=material["pilot"],
            year_from=_year(get("year_from")),
            year_to=_year(get("year_to")),
        )

    def as_dict(self) -> dict:
        return {
            k: v
            for k, v in {
                "axis": self.axis,
                "instrument": self.instrument,
                "pilot": self.pilot,
                "year_from": self.year_from,
                "year_to": self.year_to,
                "campaign_id": self.campaign_id,
            }.items()
            if v not in ("", None)
        }

    @classmethod
    def from_dict(cls, data: dict) -> Filters:
        known = {"axis", "instrument", "pilot", "year_from", "year_to", "campaign_id"}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass(frozen=True, slots=True)
class Org:
    pk: int
    label: str
    nature: str
    country: str  # French name, "" when unknown
    is_member: bool


@dataclass(slots=True)
class QuoteInfo:
    first_name: str
    full_name: str
    role: str
    org: str
    country: str
    consent: str
    anonymous: bool = False

    def label(self) -> str:
        """Who said it, for staff pages (consent is honoured by `assemble.attribution`)."""
        speaker = _("anonymous") if self.anonymous else self.full_name
        return ", ".join(p for p in (speaker, self.org, self.country) if p)


@dataclass(slots=True)
class Item:
    """One coding: a span of a resource version under one code."""

    coding_id: int
    code_id: int
    version_id: int
    start: int
    end: int
    text: str
    resource_id: int
    resource_title: str
    resource_kind: str
    instrument: str
    campaign_id: int | None
    pilot_id: int | None
    orgs: list[Org] = field(default_factory=list)
    quote: QuoteInfo | None = None
    confidentiality: str = Confidentiality.PROGRAMME


def withheld(item: Item) -> str:
    """Why `item` may not reach a public page, or "" when it may.

    Facilitators-only material never leaves the programme; a quote whose speaker refused to be
    quoted is left out whole (anonymising is for consent not given, see `assemble.attribution`).
    """
    if item.confidentiality == Confidentiality.FACILITATORS:
        return _("facilitators-only resource")
    if item.quote is not None and item.quote.consent == Consent.REFUSED:
        return _("quotation refused")
    return ""


def split_public(items: list[Item]) -> tuple[list[Item], list[tuple[Item, str]]]:
    """The items a public page may carry, and the others with the reason each is withheld."""
    kept, out = [], []
    for item in items:
        reason = withheld(item)
        if reason:
            out.append((item, reason))
        else:
            kept.append(item)
    return kept, out


def _resource_filter(programme: Programme, filters: Filters) -> Q:
    q = Q(programme=programme)
    if filters.instrument:
        q &= Q(instrument=filters.instrument)
    if filters.pilot:
        q &= Q(pilot_id=filters.pilot)
    if filters.campaign_id:
        q &= Q(campaign_id=filters.campaign_id) | Q(response__campaign_id=filters.campaign_id)
    if filters.year_from:
        q &= Q(date__year__gte=filters.year_from) | Q(
            date__isnull=True, created__year__gte=filters.year_from
        )
    if filters.year_to:
        q &= Q(date__year__lte=filters.year_to) | Q(
            date__isnull=True, created__year__lte=filters.year_to
        )
    return q


def organisations(programme: Programme) -> dict[int, Org]:
    rows = Organisation.objects.filter(programme=programme).values(
        "pk", "name", "acronym", "nature", "country__name_fr", "is_member"
    )
    return {
        r["pk"]: Org(
            r["pk"],
            r["acronym"] or r["name"],
            r["nature"],
            r["country__name_fr"] or "",
            r["is_member"],
        )
        for r in rows
    }


def load(programme: Programme, filters: Filters | None = None) -> list[Item]:
    """Every coding of the programme's resources matching `filters`, in reading order."""
    filters = filters or Filters()
    resources = {
        r["pk"]: r
        for r in Resource.objects.filter(_resource_filter(programme, filters)).values(
            "pk", "title", "kind", "instrument", "campaign_id", "pilot_id", "confidentiality"
        )
    }
    if not resources:
        return []
    orgs = organisations(programme)
    by_resource: dict[int, list[Org]] = defaultdict(list)
    through = Resource.organisations.through.objects.filter(resource_id__in=resources)
    for rid, oid in through.values_list("resource_id", "organisation_id"):
        by_resource[rid].append(orgs[oid])
    codings = list(
        Coding.objects.filter(code__programme=programme, version__resource_id__in=resources)
        .order_by("version__resource_id", "start", "pk")
        .values_list("pk", "code_id", "version_id", "start", "end", "version__resource_id")
    )
    texts = dict(
        ResourceVersion.objects.filter(pk__in={c[2] for c in codings}).values_list("pk", "text")
    )
    quotes = _quotes([c[0] for c in codings])
    items = []
    for pk, code_id, version_id, start, end, rid in codings:
        r = resources[rid]
        items.append(
            Item(
                pk,
                code_id,
                version_id,
                start,
                end,
                texts[version_id][start:end].strip(),
                rid,
                r["title"],
                r["kind"],
                r["instrument"],
                r["campaign_id"],
                r["pilot_id"],
                sorted(by_resource[rid], key=lambda o: o.label),
                quotes.get(pk),
                r["confidentiality"],
            )
        )
    return items


def _quotes(coding_ids: list[int]) -> dict[int, QuoteInfo]:
    rows = Quote.objects.filter(coding_id__in=coding_ids).values(
        "coding_id",
        "person_name",
        "person__first_name",
        "person__last_name",
        "person__role",
        "organisation__acronym",
        "organisation__name",
        "country__name_fr",
        "consent",
        "person__quote_consent",
        "anonymous",
    )
    found = {}
    for r in rows:
        full = " ".join(p for p in (r["person__first_name"], r["person__last_name"]) if p)
        full = full or r["person_name"]
        first = r["person__first_name"] or (r["person_name"].split() or [""])[0]
        found[r["coding_id"]] = QuoteInfo(
            first,
            full,
            r["person__role"] or "",
            r["organisation__acronym"] or r["organisation__name"] or "",
            r["country__name_fr"] or "",
            effective_consent(r["person__quote_consent"], r["consent"]),
            r["anonymous"],
        )
    return found
