"""Reads of the registry: counts and filtered lists, always computed from the data."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from recolte.registry.models import Country, Nature, Organisation, PilotOperation, Programme

# Who counts as what, in one place: the directory's filter, the dashboard and the public page
# count with these, and each figure shows its definition, so that the numbers can be compared.
STANDINGS = {
    "": _("every organisation in the directory"),
    "member": _("members of the network"),
    "involved": _("lead or partner of at least one pilot operation"),
    "lead": _("lead of at least one pilot operation"),
    "partner": _("partner of at least one pilot operation, beside its lead"),
}
# The public page counts only what it shows: published pilot operations.
PUBLISHED_STANDINGS = {
    "involved": _("lead or partner of at least one published pilot operation"),
}


def standing_q(standing: str, pilots: QuerySet[PilotOperation] | None = None) -> Q:
    """Organisations of a standing (a key of STANDINGS), counting only `pilots` when given."""
    if pilots is None:
        led, partner = Q(led_operations__isnull=False), Q(partnerships__isnull=False)
    else:
        led, partner = Q(led_operations__in=pilots), Q(partnerships__pilot__in=pilots)
    return {"member": Q(is_member=True), "lead": led, "partner": partner}.get(
        standing, led | partner if standing == "involved" else Q()
    )


@dataclass(frozen=True)
class OrganisationCount:
    """A number of organisations with what it counts, shown beside it."""

    standing: str
    n: int
    definition: str


def organisation_count(
    programme: Programme, standing: str, *, published_only: bool = False
) -> OrganisationCount:
    pilots = programme.pilot_operations.filter(is_published=True) if published_only else None
    orgs = programme.organisations.filter(standing_q(standing, pilots)).distinct()
    definitions = STANDINGS | PUBLISHED_STANDINGS if published_only else STANDINGS
    return OrganisationCount(standing, orgs.count(), str(definitions[standing]))


@dataclass
class ProgrammeFacts:
    members: OrganisationCount
    organisations: OrganisationCount
    pilot_operations: int
    pilot_leads: OrganisationCount
    partners: OrganisationCount
    involved: OrganisationCount
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
    partners = orgs.filter(standing_q("partner")).distinct()
    places = list(pilot_countries(programme))
    continents = sorted({place.get_continent_display() for place in places}, key=str)
    return ProgrammeFacts(
        members=organisation_count(programme, "member"),
        organisations=organisation_count(programme, ""),
        pilot_operations=programme.pilot_operations.count(),
        pilot_leads=organisation_count(programme, "lead"),
        partners=organisation_count(programme, "partner"),
        involved=organisation_count(programme, "involved"),
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
    """Directory filter: `standing` is a key of STANDINGS (unknown values: every organisation)."""
    orgs = programme.organisations.select_related("country")
    if nature:
        orgs = orgs.filter(nature=nature)
    if country:
        orgs = orgs.filter(country_id=country)
    orgs = orgs.filter(standing_q(standing))
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
