"""Reads of the registry: counts and filtered lists, always computed from the data."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from recolte.registry.models import Country, Nature, Organisation, PilotOperation, Programme


@dataclass
class ProgrammeFacts:
    members: int
    organisations: int
    pilot_operations: int
    pilot_leads: int
    partners: int
    countries: list[Country]
    regions: list[Country]
    continents: list[str]
    partners_by_nature: list[tuple[str, str, int]] = field(default_factory=list)
    organisations_by_nature: list[tuple[str, str, int]] = field(default_factory=list)


def pilot_countries(programme: Programme) -> QuerySet[Country]:
    return Country.objects.filter(pilotoperation__programme=programme).distinct()


def _by_nature(organisations: QuerySet[Organisation]) -> list[tuple[str, str, int]]:
    labels = dict(Nature.choices)
    rows = organisations.values("nature").annotate(n=Count("id", distinct=True)).order_by("-n")
    return [
        (row["nature"], str(labels.get(row["nature"], row["nature"])), row["n"]) for row in rows
    ]


def programme_facts(programme: Programme) -> ProgrammeFacts:
    orgs = programme.organisations.all()
    partners = orgs.filter(partnerships__isnull=False).distinct()
    places = list(pilot_countries(programme))
    continents = sorted({place.get_continent_display() for place in places}, key=str)
    return ProgrammeFacts(
        members=orgs.filter(is_member=True).count(),
        organisations=orgs.count(),
        pilot_operations=programme.pilot_operations.count(),
        pilot_leads=orgs.filter(led_operations__isnull=False).distinct().count(),
        partners=partners.count(),
        countries=[place for place in places if not place.is_region],
        regions=[place for place in places if place.is_region],
        continents=continents,
        partners_by_nature=_by_nature(partners),
        organisations_by_nature=_by_nature(orgs),
    )


def organisations_filtered(
    programme: Programme,
    *,
    nature: str = "",
    country: str = "",
    standing: str = "",
    q: str = "",
) -> QuerySet[Organisation]:
    """Directory filter: `standing` is "member", "partner" (of a pilot) or "lead"."""
    orgs = programme.organisations.select_related("country")
    if nature:
        orgs = orgs.filter(nature=nature)
    if country:
        orgs = orgs.filter(country_id=country)
    if standing == "member":
        orgs = orgs.filter(is_member=True)
    elif standing == "partner":
        orgs = orgs.filter(partnerships__isnull=False)
    elif standing == "lead":
        orgs = orgs.filter(led_operations__isnull=False)
    if q:
        orgs = orgs.filter(Q(name__icontains=q) | Q(acronym__icontains=q) | Q(aliases__icontains=q))
    return orgs.annotate(
        n_led=Count("led_operations", distinct=True),
        n_partner=Count("partnerships", distinct=True),
    ).distinct()


def organisation_roles(organisation: Organisation) -> list[tuple[PilotOperation, str]]:
    """Every pilot operation the organisation takes part in, with its role there."""
    led = [(pilot, "") for pilot in organisation.led_operations.all()]
    partnered = [(p.pilot, p.role or "") for p in organisation.partnerships.select_related("pilot")]
    return led + partnered
