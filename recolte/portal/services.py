"""Publication verbs: put a programme, a pilot sheet or a resource on the public portal, or
withdraw it. Every change is logged (who, when) and publishing twice changes nothing.

Syntheses and reports are snapshots made by the synthesis room's own verb (publishing one again
replaces its snapshot) and are logged here too.
"""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from recolte.access import audit
from recolte.collection.models import Confidentiality, Resource
from recolte.portal.models import Kind, PublicationEvent
from recolte.registry.models import PilotOperation, Programme
from recolte.synthesis import publication
from recolte.synthesis.models import CampaignSynthesis, Report

Verb = PublicationEvent.Verb


def _log(programme: Programme, kind: str, obj, verb: str, by, previous: str = "") -> None:
    PublicationEvent.objects.create(
        programme=programme, kind=kind, object_id=obj.pk, verb=verb, by=by, previous=previous
    )
    audit.record(user=by, verb=verb, target=obj, programme=programme)


def _flag(obj: Programme | PilotOperation, kind: str, published: bool, by) -> bool:
    if obj.is_published == published:
        return False
    obj.is_published = published
    obj.save(update_fields=["is_published"])
    programme = obj if isinstance(obj, Programme) else obj.programme
    _log(programme, kind, obj, Verb.PUBLISH if published else Verb.UNPUBLISH, by)
    return True


@transaction.atomic
def programme_publish(programme: Programme, *, by: AbstractBaseUser | None) -> bool:
    """Open the programme's public home; its other material stays private until published."""
    return _flag(programme, Kind.PROGRAMME, True, by)


@transaction.atomic
def programme_unpublish(programme: Programme, *, by: AbstractBaseUser | None) -> bool:
    """Close the whole public portal of the programme (every page answers 404)."""
    return _flag(programme, Kind.PROGRAMME, False, by)


@transaction.atomic
def pilot_publish(pilot: PilotOperation, *, by: AbstractBaseUser | None) -> bool:
    return _flag(pilot, Kind.PILOT, True, by)


@transaction.atomic
def pilot_unpublish(pilot: PilotOperation, *, by: AbstractBaseUser | None) -> bool:
    return _flag(pilot, Kind.PILOT, False, by)


@transaction.atomic
def resource_publish(resource: Resource, *, by: AbstractBaseUser | None) -> bool:
    """Make the resource and its passages public, remembering its level to restore later."""
    if resource.confidentiality == Confidentiality.PUBLISHED:
        return False
    previous = resource.confidentiality
    resource.confidentiality = Confidentiality.PUBLISHED
    resource.save(update_fields=["confidentiality"])
    _log(resource.programme, Kind.RESOURCE, resource, Verb.PUBLISH, by, previous)
    return True


@transaction.atomic
def resource_unpublish(resource: Resource, *, by: AbstractBaseUser | None) -> bool:
    """Withdraw the resource: back to its level before publication (programme if unknown)."""
    if resource.confidentiality != Confidentiality.PUBLISHED:
        return False
    last = (
        PublicationEvent.objects.filter(
            kind=Kind.RESOURCE, object_id=resource.pk, verb=Verb.PUBLISH
        )
        .exclude(previous="")
        .first()
    )
    resource.confidentiality = last.previous if last else Confidentiality.PROGRAMME
    resource.save(update_fields=["confidentiality"])
    _log(resource.programme, Kind.RESOURCE, resource, Verb.UNPUBLISH, by)
    return True


@transaction.atomic
def synthesis_set_published(
    obj: CampaignSynthesis | Report, published: bool, *, by: AbstractBaseUser | None
) -> bool:
    """Publish (snapshot, again if already public) or withdraw a campaign synthesis or a report.

    What the snapshot left out is in `obj.publication.left_out`.
    """
    if published:
        publication.publish(obj, by=by)
    elif not publication.unpublish(obj):
        return False
    if isinstance(obj, Report):
        kind, programme = Kind.REPORT, obj.programme
    else:
        kind, programme = Kind.SYNTHESIS, obj.campaign.programme
    _log(programme, kind, obj, Verb.PUBLISH if published else Verb.UNPUBLISH, by)
    return True


def published_at(kind: str, pk: int) -> datetime | None:
    """When the object was last published, if it is logged."""
    last = PublicationEvent.objects.filter(kind=kind, object_id=pk).first()
    return last.at if last and last.verb == Verb.PUBLISH else None
