"""The kinds of publishable material, seen uniformly by the publish buttons and pages:
how to find one inside a programme, whether it is public, its verbs and its public address."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.db.models import Model
from django.http import Http404
from django.urls import reverse

from recolte.collection.models import Confidentiality, Resource
from recolte.portal import services
from recolte.portal.models import Kind
from recolte.registry.models import PilotOperation, Programme
from recolte.synthesis import publication
from recolte.synthesis.models import CampaignSynthesis, Report


@dataclass(frozen=True)
class Publishable:
    kind: str
    model: type[Model]
    find: Callable[[Programme, int], Model]
    is_public: Callable[[Model], bool]
    publish: Callable
    unpublish: Callable
    public_url: Callable[[Model], str]
    # What the last publication left out (syntheses and reports are snapshots that filter).
    left_out: Callable[[Model], list[str]] = lambda _obj: []
    # Whether the public page shows an older state than the object's (publish again to update).
    changed: Callable[[Model], bool] = lambda _obj: False
    # Whether publishing is still under way in the background (a report's files rendering).
    pending: Callable[[Model], bool] = lambda _obj: False


def _programme(programme: Programme, pk: int) -> Programme:
    if programme.pk != pk:
        raise Programme.DoesNotExist
    return programme


KINDS: dict[str, Publishable] = {
    Kind.PROGRAMME: Publishable(
        Kind.PROGRAMME,
        Programme,
        _programme,
        lambda p: p.is_published,
        services.programme_publish,
        services.programme_unpublish,
        lambda p: reverse("portal:programme", args=[p.slug]),
    ),
    Kind.PILOT: Publishable(
        Kind.PILOT,
        PilotOperation,
        lambda programme, pk: programme.pilot_operations.get(pk=pk),
        lambda p: p.is_published,
        services.pilot_publish,
        services.pilot_unpublish,
        lambda p: reverse("portal:pilot", args=[p.programme.slug, p.code]),
    ),
    Kind.RESOURCE: Publishable(
        Kind.RESOURCE,
        Resource,
        lambda programme, pk: programme.resources.get(pk=pk),
        lambda r: r.confidentiality == Confidentiality.PUBLISHED,
        services.resource_publish,
        services.resource_unpublish,
        lambda r: reverse("portal:resource", args=[r.programme.slug, r.pk]),
        changed=services.changed_since_publication,
    ),
    Kind.SYNTHESIS: Publishable(
        Kind.SYNTHESIS,
        CampaignSynthesis,
        lambda programme, pk: CampaignSynthesis.objects.get(campaign__programme=programme, pk=pk),
        lambda s: s.is_published,
        partial(services.synthesis_set_published, published=True),
        partial(services.synthesis_set_published, published=False),
        lambda s: reverse("portal:synthesis", args=[s.campaign.programme.slug, s.pk]),
        lambda s: s.publication.left_out,
    ),
    Kind.REPORT: Publishable(
        Kind.REPORT,
        Report,
        lambda programme, pk: programme.reports.get(pk=pk),
        lambda r: r.is_published,
        partial(services.synthesis_set_published, published=True),
        partial(services.synthesis_set_published, published=False),
        lambda r: reverse("portal:report", args=[r.programme.slug, r.pk]),
        lambda r: snapshot.left_out if (snapshot := publication.snapshot_of(r)) else [],
        pending=Report.is_being_published,
    ),
}


def kind_of(obj: Model) -> Publishable:
    for publishable in KINDS.values():
        if isinstance(obj, publishable.model):
            return publishable
    raise LookupError(f"{type(obj).__name__} cannot be published")


def find_or_404(programme: Programme, kind: str, pk: int) -> tuple[Publishable, Model]:
    """The object of `kind` with this pk inside `programme` (404 elsewhere or unknown)."""
    publishable = KINDS.get(kind)
    if publishable is None:
        raise Http404
    try:
        return publishable, publishable.find(programme, pk)
    except publishable.model.DoesNotExist:
        raise Http404 from None
