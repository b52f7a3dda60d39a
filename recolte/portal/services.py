"""Publication verbs: put a programme, a pilot sheet or a resource on the public portal, or
withdraw it. Every change is logged (who, when) and publishing twice changes nothing.

A published resource is pinned to the version it had when published (`PublishedVersion`);
publishing it again moves the pin to its current version. A resource can also become published
through its description form or an upload, which collection cannot tell us about (imports run
downwards): `sync_pin` runs on every save of a resource or a version, so any published resource
has a pin and any other has none.

Syntheses and reports are snapshots made by the synthesis room's own verb (publishing one again
replaces its snapshot) and are logged here too.
"""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from recolte.access import audit
from recolte.collection.models import Confidentiality, Resource
from recolte.portal.models import Kind, PublicationEvent, PublishedVersion
from recolte.registry.models import PilotOperation, Programme
from recolte.synthesis import publication
from recolte.synthesis.models import CampaignSynthesis, Report
from recolte.synthesis.tasks import report_publish_start

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


def sync_pin(resource: Resource) -> None:
    """Pin a published resource that has no pin yet to its current version; unpin any other."""
    if resource.confidentiality != Confidentiality.PUBLISHED:
        PublishedVersion.objects.filter(resource=resource).delete()
    elif not PublishedVersion.objects.filter(resource=resource).exists():
        current = resource.current
        if current is not None:
            PublishedVersion.objects.create(resource=resource, version=current)


def changed_since_publication(resource: Resource) -> bool:
    """Whether the resource has a version newer than the one on the portal."""
    pin = PublishedVersion.objects.filter(resource=resource).first()
    current = resource.current
    return pin is not None and current is not None and pin.version_id != current.pk


@transaction.atomic
def resource_publish(resource: Resource, *, by: AbstractBaseUser | None) -> bool:
    """Make the resource's current version and its passages public, remembering its level to
    restore later; on a published resource, show its current version instead of the pinned one."""
    previous = resource.confidentiality
    if previous == Confidentiality.PUBLISHED:
        if not changed_since_publication(resource):
            return False
        previous = ""  # withdrawing still restores the level from before the first publication
    else:
        resource.confidentiality = Confidentiality.PUBLISHED
        resource.save(update_fields=["confidentiality"])
    current = resource.current
    if current is not None:
        PublishedVersion.objects.update_or_create(resource=resource, defaults={"version": current})
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
    resource.save(update_fields=["confidentiality"])  # sync_pin drops the pin
    _log(resource.programme, Kind.RESOURCE, resource, Verb.UNPUBLISH, by)
    return True


@transaction.atomic
def synthesis_set_published(
    obj: CampaignSynthesis | Report, published: bool, *, by: AbstractBaseUser | None
) -> bool:
    """Publish (snapshot, again if already public) or withdraw a campaign synthesis or a report.

    A report's public files render in a task: it is public once `report_publish_start` has run
    it (at once with a backend that runs tasks immediately); the log records the publisher's
    request. What the snapshot left out is in `obj.publication.left_out`.
    """
    if published and isinstance(obj, Report):
        report_publish_start(obj, by=by)
    elif published:
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
