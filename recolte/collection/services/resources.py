"""Resources: store a file or a text as a resource, add a version, describe it."""

import datetime
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction

from recolte.collection.ingest import Extracted, IngestError, extract
from recolte.collection.ingest.text import normalise
from recolte.collection.models import Resource, ResourceVersion
from recolte.collection.signals import version_stored
from recolte.registry.models import Organisation, Programme


@dataclass
class ResourceMeta:
    """Provenance given by the person or command that adds a resource."""

    title: str = ""
    kind: str = Resource.Kind.DOCUMENT
    instrument: str = ""
    campaign_id: int | None = None
    record_id: int | None = None
    pilot_id: int | None = None
    organisations: list[Organisation] = field(default_factory=list)
    people: list = field(default_factory=list)
    date: datetime.date | None = None
    language: str = ""
    confidentiality: str = Resource._meta.get_field("confidentiality").default


@dataclass
class Outcome:
    """One line of an import: a file, a message or an attachment, and what became of it."""

    label: str  # the file name, or where the file came from
    status: str  # imported | duplicate | held | failed | skipped
    reason: str = ""
    resource: Resource | None = None
    error: IngestError | None = None  # why extraction refused the file, when it did


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _announce(version: ResourceVersion) -> None:
    transaction.on_commit(lambda: version_stored.send(sender=ResourceVersion, version=version))


def find_duplicate(*, programme: Programme, original_sha256: str) -> Resource | None:
    version = (
        ResourceVersion.objects.filter(
            resource__programme=programme, original_sha256=original_sha256
        )
        .select_related("resource")
        .first()
    )
    return version.resource if version else None


@transaction.atomic
def resource_create(
    *,
    programme: Programme,
    text: str,
    meta: ResourceMeta,
    by: AbstractBaseUser | None = None,
    original: tuple[str, bytes] | None = None,
    extracted: Extracted | None = None,
) -> Resource:
    """Create a resource and its first version (atomic; the text is normalised once, here)."""
    resource = Resource.objects.create(
        programme=programme,
        title=(meta.title or (extracted.title if extracted else "") or "—")[:300],
        kind=meta.kind,
        instrument=meta.instrument,
        campaign_id=meta.campaign_id,
        record_id=meta.record_id,
        pilot_id=meta.pilot_id,
        date=meta.date,
        language=meta.language or (extracted.language_hint if extracted else "") or "",
        confidentiality=meta.confidentiality,
        created_by=by,
    )
    resource.organisations.set(meta.organisations)
    resource.people.set(meta.people)
    _store_version(resource=resource, text=text, by=by, original=original, extracted=extracted)
    return resource


def _store_version(
    *,
    resource: Resource,
    text: str,
    by: AbstractBaseUser | None,
    original: tuple[str, bytes] | None,
    extracted: Extracted | None,
) -> ResourceVersion:
    text = normalise(text)
    last = resource.versions.order_by("-number").first()
    version = ResourceVersion(
        resource=resource,
        number=(last.number + 1) if last else 1,
        text=text,
        text_sha256=_sha(text),
        created_by=by,
    )
    if original:
        name, data = original
        version.original_name = name[:255]
        version.original_sha256 = hashlib.sha256(data).hexdigest()
        version.original.save(name, ContentFile(data), save=False)
    if extracted:
        version.format = extracted.format
        version.needs_transcript = extracted.needs_transcript
        version.extra = extracted_extra(extracted)
    version.save()
    _announce(version)
    return version


def extracted_extra(extracted: Extracted) -> dict[str, Any]:
    """What of an extraction is worth keeping beside the text (JSON-serialisable)."""
    extra: dict[str, Any] = {}
    if extracted.cues:
        extra["cues"] = [list(cue) for cue in extracted.cues]
    if extracted.notes:
        extra["notes"] = [
            {"text": n.text, "anchor": n.anchor, "author": n.author} for n in extracted.notes
        ]
    if extracted.messages:
        extra["messages"] = [
            {
                "from": m.sender,
                "to": m.to,
                "subject": m.subject,
                "date": m.date,
                "start": m.start_offset,
                "end": m.end_offset,
            }
            for m in extracted.messages
        ]
    if extracted.encoding:
        extra["encoding"] = extracted.encoding
    if extracted.warnings:
        extra["warnings"] = list(extracted.warnings)
    return extra


@transaction.atomic
def resource_new_version(
    *,
    resource: Resource,
    text: str,
    by: AbstractBaseUser | None = None,
    original: tuple[str, bytes] | None = None,
    extracted: Extracted | None = None,
) -> ResourceVersion:
    """Store a new version unless the normalised text is unchanged (then return the current one)."""
    current = resource.current
    if current and current.text_sha256 == _sha(normalise(text)) and not original:
        return current
    return _store_version(
        resource=resource, text=text, by=by, original=original, extracted=extracted
    )


def resource_add_file(
    *,
    programme: Programme,
    data: bytes,
    filename: str,
    meta: ResourceMeta,
    by: AbstractBaseUser | None = None,
    max_bytes: int | None = None,
) -> Outcome:
    """Extract and store one uploaded file; a file already in the programme is skipped.

    Never raises for bad input: the outcome says "failed" with the reason, and nothing is stored.
    """
    try:
        extracted = extract(data, filename, **({"max_bytes": max_bytes} if max_bytes else {}))
    except IngestError as error:
        return Outcome(filename, "failed", error.message, error=error)
    return resource_store_extracted(
        programme=programme, data=data, filename=filename, extracted=extracted, meta=meta, by=by
    )


def resource_store_extracted(
    *,
    programme: Programme,
    data: bytes,
    filename: str,
    extracted: Extracted,
    meta: ResourceMeta,
    by: AbstractBaseUser | None = None,
) -> Outcome:
    """Store a file already extracted (e.g. by a worker process) unless the programme has it."""
    duplicate = find_duplicate(programme=programme, original_sha256=extracted.sha256)
    if duplicate:
        return Outcome(filename, "duplicate", resource=duplicate)
    resource = resource_create(
        programme=programme,
        text=extracted.text,
        meta=meta,
        by=by,
        original=(filename, data),
        extracted=extracted,
    )
    return Outcome(filename, "imported", resource=resource)


@transaction.atomic
def resource_describe(*, resource: Resource, **fields) -> Resource:
    """Change a resource's title and provenance (`fields` are model fields, many-to-many ones
    included); its text changes only through `resource_new_version`."""
    many = {name: fields.pop(name) for name in ("organisations", "people") if name in fields}
    for name, value in fields.items():
        setattr(resource, name, value)
    resource.save()
    for name, value in many.items():
        getattr(resource, name).set(value)
    return resource
