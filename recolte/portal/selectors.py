"""What the public portal may show: only published programmes, and inside them only published
pilot sheets, resources (the version pinned when they were published, and its passages),
syntheses and reports (their snapshots only).

Every public page goes through these functions; a programme that is not published has no public
page at all, whatever is published inside it.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from recolte.collection.models import Confidentiality, Resource
from recolte.corpus.models import Passage
from recolte.corpus.pipeline import pieces_of, sha
from recolte.corpus.search import Filters, Hit, Results, passages_search
from recolte.registry.maps import world_map_svg
from recolte.registry.models import Country, Nature, Organisation, PilotOperation, Programme
from recolte.registry.selectors import OrganisationCount, organisation_count, standing_q
from recolte.synthesis.models import CampaignSynthesis, Pseudonymise, Report
from recolte.synthesis.report import FORMATS, ReportFormat


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
    return programme.resources.filter(
        confidentiality=Confidentiality.PUBLISHED, published_version__isnull=False
    )


def resource_or_404(programme: Programme, pk: int) -> Resource:
    found = published_resources(programme).select_related("published_version__version")
    return get_object_or_404(found, pk=pk)


_PINNED = F("resource__published_version__version__number")
# Passages of the pinned version: cut from it or earlier, and not retired by it.
IN_PUBLISHED_VERSION = Q(first_version__number__lte=_PINNED) & (
    Q(retired_in__isnull=True) | Q(retired_in__number__gt=_PINNED)
)


@dataclass(frozen=True)
class PublicPassage:
    pk: int | None  # the passage's id (its `p-<id>` anchor) once the version is processed
    text: str
    question: bool = False  # a campaign question the next passages answer


def resource_passages(resource: Resource) -> list[PublicPassage]:
    """The published version's text cut as the corpus cuts it, each piece with its passage."""
    if resource.confidentiality != Confidentiality.PUBLISHED:
        raise Http404
    version = resource.published_version.version
    ids: dict[str, list[int]] = defaultdict(list)
    for pk, digest in (
        resource.passages.filter(IN_PUBLISHED_VERSION)
        .order_by("ordinal")
        .values_list("pk", "text_sha256")
    ):
        ids[digest].append(pk)
    pieces = [(version.text[p.start : p.end], p.kind == "prompt") for p in pieces_of(version)[0]]
    return [PublicPassage((ids.get(sha(t)) or [None]).pop(0), t, q) for t, q in pieces]


@dataclass
class PublicFacts:
    """Key figures computed from published pilot sheets only, so nothing private shows through."""

    pilots: int
    organisations: OrganisationCount
    members: OrganisationCount
    countries: list[Country]
    regions: list[Country]
    continents: list[str]
    resources: int
    by_nature: list[tuple[str, str, int]]


def public_facts(programme: Programme) -> PublicFacts:
    pilots = programme.pilot_operations.filter(is_published=True)
    involved = programme.organisations.filter(standing_q("involved", pilots)).distinct()
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
        organisations=organisation_count(programme, "involved", published_only=True),
        members=organisation_count(programme, "member"),
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
    """Passage search as an anonymous visitor over the published versions' passages, narrowed
    to published resources once more."""
    results = passages_search(
        user=AnonymousUser(),
        programme=programme,
        query=query,
        filters=Filters(confidentiality=Confidentiality.PUBLISHED),
        within=Passage.objects.filter(IN_PUBLISHED_VERSION, programme=programme),
        offset=offset,
        limit=limit,
    )
    results.hits = _published(results.hits)
    results.related = _published(results.related)
    return results


def _published(hits: list[Hit]) -> list[Hit]:
    published = Confidentiality.PUBLISHED
    for hit in hits:
        hit.similar = [p for p in hit.similar if p.resource.confidentiality == published]
    return [h for h in hits if h.passage.resource.confidentiality == published]


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


def report_formats(report: Report) -> list[ReportFormat]:
    """The formats of the files rendered when the report was published, in the portal's order."""
    stored = set(report.publication.files.exclude(file="").values_list("format", flat=True))
    return [spec for spec in FORMATS.values() if spec.key in stored]
