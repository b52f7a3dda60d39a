"""Selectors of the resource library: what a user may see, filtered, and counted per facet.

Every query starts from `visible_resources`, so the confidentiality rule of the access policy
applies to lists, counts, pages and downloads alike.
"""

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.dateparse import parse_date

from recolte.access.policy import Action, User, can, own_organisation_id, visible_material
from recolte.collection.models import (
    Campaign,
    Confidentiality,
    Instrument,
    Record,
    Resource,
    Response,
)
from recolte.registry.models import Organisation, PilotOperation, Programme
from recolte.registry.params import parse_id


@dataclass(frozen=True)
class LibraryFilters:
    instrument: str = ""
    campaign: int | None = None
    organisation: int | None = None
    pilot: int | None = None
    language: str = ""
    date_from: date | None = None
    date_to: date | None = None
    kind: str = ""
    confidentiality: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> "LibraryFilters":
        """Read filters from GET parameters; malformed values are ignored, never an error."""

        def number(name: str) -> int | None:
            return parse_id(params.get(name))

        def day(name: str) -> date | None:
            try:
                return parse_date(params.get(name, ""))
            except ValueError:
                return None

        def choice(name: str, choices: list[str]) -> str:
            value = params.get(name, "")
            return value if value in choices else ""

        return cls(
            instrument=choice("instrument", Instrument.values),
            campaign=number("campaign"),
            organisation=number("organisation"),
            pilot=number("pilot"),
            language=params.get("language", "").strip()[:8],
            date_from=day("date_from"),
            date_to=day("date_to"),
            kind=choice("kind", Resource.Kind.values),
            confidentiality=choice("confidentiality", Confidentiality.values),
            q=params.get("q", "").strip()[:200],
        )

    def as_query(self) -> dict[str, str]:
        """The non-empty filters as GET parameters (for pagination links)."""
        return {
            f.name: str(getattr(self, f.name))
            for f in fields(self)
            if getattr(self, f.name) not in (None, "")
        }


def visible_resources(user: User, programme: Programme) -> QuerySet[Resource]:
    resources = Resource.objects.filter(programme=programme)
    rule = visible_material(user, programme)
    if rule:
        # A subquery, because the rule may join organisations and would repeat rows.
        resources = resources.filter(pk__in=resources.filter(rule).values("pk"))
    return resources


def visible_records(user: User, programme: Programme) -> QuerySet[Record]:
    """Records follow the same confidentiality rule as resources."""
    found = Record.objects.filter(programme=programme)
    rule = visible_material(user, programme)
    return found.filter(pk__in=found.filter(rule).values("pk")) if rule else found


def visible_responses(user: User, programme: Programme) -> QuerySet[Response]:
    """Responses are read by those who read every response and by the answering organisation;
    once submitted, a response follows the level of the resource it became."""
    responses = Response.objects.filter(campaign__programme=programme)
    if not can(user, Action.VIEW_ALL_RESPONSES, programme):
        responses = responses.filter(organisation_id=own_organisation_id(user, programme))
    submitted = visible_resources(user, programme).values("pk")
    return responses.filter(Q(resource__isnull=True) | Q(resource__in=submitted))


def visible_campaigns(user: User, programme: Programme) -> QuerySet[Campaign]:
    """Draft campaigns are for those who run campaigns: their titles appear nowhere else."""
    campaigns = Campaign.objects.filter(programme=programme)
    if can(user, Action.RUN_CAMPAIGNS, programme):
        return campaigns
    return campaigns.exclude(status=Campaign.Status.DRAFT)


def apply_filters(resources: QuerySet[Resource], f: LibraryFilters) -> QuerySet[Resource]:
    conditions = Q()
    for name in ("instrument", "language", "kind", "confidentiality"):
        if getattr(f, name):
            conditions &= Q(**{name: getattr(f, name)})
    if f.campaign:
        conditions &= Q(campaign_id=f.campaign)
    if f.pilot:
        conditions &= Q(pilot_id=f.pilot)
    if f.organisation:
        conditions &= Q(organisations=f.organisation)
    if f.date_from:
        conditions &= Q(date__gte=f.date_from)
    if f.date_to:
        conditions &= Q(date__lte=f.date_to)
    if f.q:
        conditions &= Q(title__icontains=f.q)
    return resources.filter(conditions)


def library_resources(user: User, programme: Programme, f: LibraryFilters) -> QuerySet[Resource]:
    return (
        apply_filters(visible_resources(user, programme), f)
        .select_related("campaign", "pilot")
        .prefetch_related("organisations")
        .order_by("-date", "-created", "-pk")
    )


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


# facet -> (the filters it clears before counting, the column grouped on)
_FACETS = {
    "instrument": (("instrument",), "instrument"),
    "kind": (("kind",), "kind"),
    "campaign": (("campaign",), "campaign"),
    "organisation": (("organisation",), "organisations"),
    "pilot": (("pilot",), "pilot"),
    "language": (("language",), "language"),
    "year": (("date_from", "date_to"), "year"),
    "confidentiality": (("confidentiality",), "confidentiality"),
}


def facet_counts(
    user: User, programme: Programme, f: LibraryFilters
) -> dict[str, list[FacetValue]]:
    """Counts beside each filter, computed with every *other* filter applied (drill-down)."""
    visible = visible_resources(user, programme)
    labels = _labels(user, programme)
    out: dict[str, list[FacetValue]] = {}
    for facet, (cleared, column) in _FACETS.items():
        scoped = apply_filters(visible, replace(f, **{name: _empty(name) for name in cleared}))
        if column == "year":
            scoped = scoped.annotate(year=ExtractYear("date"))
        rows = (
            scoped.exclude(**{f"{column}__isnull": True})
            .values(column)
            .annotate(n=Count("pk", distinct=True))
            .order_by(column)
        )
        values = []
        for row in rows:
            key = row[column]
            if key in ("", None) or (facet == "campaign" and key not in labels["campaign"]):
                continue
            values.append(
                FacetValue(
                    value=str(key),
                    label=labels.get(facet, {}).get(key, str(key)),
                    count=row["n"],
                    selected=_is_selected(f, facet, key),
                )
            )
        if facet == "year":
            values.reverse()
        out[facet] = sorted(values, key=lambda v: -v.count) if facet == "organisation" else values
    return out


def _empty(name: str) -> object:
    return "" if name in ("instrument", "kind", "language", "confidentiality", "q") else None


def _is_selected(f: LibraryFilters, facet: str, key: object) -> bool:
    if facet == "year":
        return bool(f.date_from and f.date_to and f.date_from.year == f.date_to.year == key)
    return getattr(f, facet) == key


def _labels(user: User, programme: Programme) -> dict[str, dict]:
    return {
        "instrument": dict(Instrument.choices),
        "kind": dict(Resource.Kind.choices),
        "confidentiality": dict(Confidentiality.choices),
        "campaign": dict(visible_campaigns(user, programme).values_list("pk", "title")),
        "organisation": {o.pk: o.label for o in Organisation.objects.filter(programme=programme)},
        "pilot": {p.pk: p.code for p in PilotOperation.objects.filter(programme=programme)},
    }
