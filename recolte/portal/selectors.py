"""What the public portal may show: only published programmes, and inside them only published
pilot sheets, resources (with their passages), syntheses and reports (their snapshots only).

Every public page goes through these functions; a programme that is not published has no public
page at all, whatever is published inside it.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from recolte.collection.models import Confidentiality, Resource
from recolte.corpus.models import Passage
from recolte.corpus.search import Filters, Results, passages_search
from recolte.registry.maps import world_map_svg
from recolte.registry.models import Country, Nature, Organisation, PilotOperation, Programme
from recolte.synthesis.models import CampaignSynthesis, Pseudonymise, Report


def published_programmes() -> QuerySet[Programme]:
    return Programme.objects.filter(is_published=True)


def programme_or_404(slug: str) -> Programme:
    return get_object_or_404(published_programmes(), slug=slug)


def published_pilots(programme: Programme) -> QuerySet[PilotOperation]:
    return (
        programme.pilot_operations.filter(is_published=True)
        .select_related("lead", "lead__country")
        .prefetch_related("countries")
    )


def pilot_or_404(programme: Programme, code: str) -> PilotOperation:
    return get_object_or_404(published_pilots(programme), code=code)


def published_resources(programme: Programme) -> QuerySet[Resource]:
    return programme.resources.filter(confidentiality=Confidentiality.PUBLISHED)


def resource_or_404(programme: Programme, pk: int) -> Resource:
    return get_object_or_404(published_resources(programme), pk=pk)


def resource_passages(resource: Resource) -> QuerySet[Passage]:
    if resource.confidentiality != Confidentiality.PUBLISHED:
        raise Http404
    return resource.passages.filter(retired_in__isnull=True).order_by("ordinal")


@dataclass
class PublicFacts:
    """Key figures computed from published pilot sheets only, so nothing private shows through."""

    pilots: int
    organisations: int
    members: int
    countries: list[Country]
    regions: list[Country]
    continents: list[str]
    resources: int
    by_nature: list[tuple[str, str, int]]


def public_facts(programme: Programme) -> PublicFacts:
    pilots = programme.pilot_operations.filter(is_published=True)
    involved = Organisation.objects.filter(
        Q(led_operations__in=pilots) | Q(partnerships__pilot__in=pilots)
    ).distinct()
    places = list(Country.objects.filter(pilotoperation__in=pilots).distinct())
    labels = dict(Nature.choices)
    natures = (
        Organisation.objects.filter(pk__in=involved.values("pk"))
        .values("nature")
        .annotate(n=Count("id"))
        .order_by("-n", "nature")
    )
    return PublicFacts(
        pilots=pilots.count(),
        organisations=involved.count(),
        members=programme.organisations.filter(is_member=True).count(),
        countries=[c for c in places if not c.is_region],
        regions=[c for c in places if c.is_region],
        continents=sorted({c.get_continent_display() for c in places}, key=str),
        resources=published_resources(programme).count(),
        by_nature=[
            (r["nature"], str(labels.get(r["nature"], r["nature"])), r["n"]) for r in natures
        ],
    )


def pilots_map_svg(programme: Programme) -> str:
    """World map of the countries of published pilot operations."""
    counts: dict[str, int] = {}
    pilots = programme.pilot_operations.filter(is_published=True, countries__isnull=False)
    for code in pilots.values_list("countries", flat=True):
        counts[code] = counts.get(code, 0) + 1
    return world_map_svg(counts, title=_("Countries of the pilot operations"))


def search_published(
    programme: Programme, query: str, *, offset: int = 0, limit: int = 20
) -> Results:
    """Passage search as an anonymous visitor, narrowed to published resources once more."""
    results = passages_search(
        user=AnonymousUser(),
        programme=programme,
        query=query,
        filters=Filters(confidentiality=Confidentiality.PUBLISHED),
        offset=offset,
        limit=limit,
    )
    results.hits = [
        h for h in results.hits if h.passage.resource.confidentiality == Confidentiality.PUBLISHED
    ]
    return results


def published_syntheses(programme: Programme) -> QuerySet[CampaignSynthesis]:
    return (
        CampaignSynthesis.objects.filter(
            campaign__programme=programme, is_published=True, publication__isnull=False
        )
        .select_related("campaign", "publication")
        .order_by("-published_at", "-pk")
    )


def synthesis_or_404(programme: Programme, pk: int) -> CampaignSynthesis:
    return get_object_or_404(published_syntheses(programme), pk=pk)


def published_reports(programme: Programme) -> QuerySet[Report]:
    """Finished, published reports; one printed with full names never leaves the programme."""
    return (
        programme.reports.filter(
            is_published=True, publication__isnull=False, status=Report.Status.DONE
        )
        .select_related("publication")
        .exclude(pseudonymise=Pseudonymise.FULL)
        .order_by("-published_at", "-pk")
    )


def report_or_404(programme: Programme, pk: int) -> Report:
    return get_object_or_404(published_reports(programme), pk=pk)
