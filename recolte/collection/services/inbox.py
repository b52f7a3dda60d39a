"""E-mail replies into the library: each message matched to an organisation by its sender.

A sender is matched by a person's address, else by the organisation website's domain; messages
nobody matches wait as `PendingMail` until a facilitator assigns or discards them.
"""

import hashlib
from dataclasses import replace
from datetime import date, datetime
from email.utils import parseaddr
from pathlib import PurePath
from urllib.parse import urlparse

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from recolte.collection.ingest import MAX_BYTES, Extracted, IngestError, extract
from recolte.collection.ingest.mail import mbox_messages
from recolte.collection.models import Campaign, PendingMail, Resource, Response
from recolte.collection.services.resources import (
    Outcome,
    ResourceMeta,
    find_duplicate,
    resource_add_file,
    resource_create,
)
from recolte.registry.models import Organisation, Person, Programme


def split_mail(data: bytes, filename: str) -> list[tuple[str, bytes]]:
    """(name, raw message) pairs: an .eml is one message, an .mbox is cut at its "From " lines."""
    if PurePath(filename).suffix.lower() != ".mbox":
        return [(filename, data)]
    stem = PurePath(filename).stem
    raws = mbox_messages(data)
    return [(f"{stem}-{n}.eml", raw) for n, raw in enumerate(raws, start=1)]


def _domain(url: str) -> str:
    host = (urlparse(url if "//" in url else f"//{url}").hostname or "").lower()
    return host.removeprefix("www.")


def match_organisation(programme: Programme, sender: str) -> Organisation | None:
    """The one organisation a sender belongs to, or None when unknown or ambiguous."""
    address = parseaddr(sender)[1].lower()
    if "@" not in address:
        return None
    by_person = set(
        Person.objects.filter(organisation__programme=programme, email__iexact=address).values_list(
            "organisation_id", flat=True
        )
    )
    if len(by_person) == 1:
        return Organisation.objects.get(pk=by_person.pop())
    if by_person:
        return None
    domain = address.rsplit("@", 1)[1]
    by_site = [
        org
        for org in programme.organisations.exclude(website="")
        if (site := _domain(org.website)) and (domain == site or domain.endswith("." + site))
    ]
    return by_site[0] if len(by_site) == 1 else None


def _sent(extracted: Extracted) -> datetime | None:
    stamp = extracted.messages[0].date if extracted.messages else None
    try:
        return datetime.fromisoformat(stamp) if stamp else None
    except ValueError:
        return None


def _mail_meta(
    meta: ResourceMeta, extracted: Extracted, organisations: list[Organisation], day: date | None
) -> ResourceMeta:
    campaign = Campaign.objects.filter(pk=meta.campaign_id).first() if meta.campaign_id else None
    return replace(
        meta,
        title=meta.title or extracted.title or _("(no subject)"),
        kind=Resource.Kind.RESPONSE if campaign else Resource.Kind.EMAIL,
        instrument=meta.instrument or (campaign.instrument if campaign else ""),
        organisations=organisations,
        date=meta.date or day,
    )


def mail_import(
    data: bytes,
    filename: str,
    *,
    programme: Programme,
    meta: ResourceMeta,
    by=None,
    max_bytes: int = MAX_BYTES,
    label: str = "",
) -> list[Outcome]:
    """Each message becomes a resource of the organisation it came from, or waits for review.

    Organisations given in `meta` win over sender matching (an explicit choice).
    """
    label = label or filename
    try:
        parts = split_mail(data, filename)
    except (OSError, ValueError) as error:
        return [Outcome(label, "failed", str(error))]
    if not parts:
        return [Outcome(label, "failed", _("No message found in this mailbox."))]
    outcomes = []
    for name, raw in parts:
        part_label = label if len(parts) == 1 else f"{label} #{name.rsplit('-', 1)[-1][:-4]}"
        outcomes += _import_message(raw, name, part_label, programme, meta, by, max_bytes)
    return outcomes


def _import_message(raw, name, label, programme, meta, by, max_bytes) -> list[Outcome]:
    sha = hashlib.sha256(raw).hexdigest()
    known = find_duplicate(programme=programme, original_sha256=sha)
    if known or PendingMail.objects.filter(programme=programme, sha256=sha).exists():
        return [Outcome(label, "duplicate", resource=known)]
    try:
        extracted = extract(raw, name, max_bytes=max_bytes)
    except IngestError as error:
        return [Outcome(label, "failed", error.message)]
    message = extracted.messages[0] if extracted.messages else None
    sender = message.sender if message else ""
    organisations = list(meta.organisations)
    if not organisations and (found := match_organisation(programme, sender)):
        organisations = [found]
    if not organisations:
        PendingMail.objects.create(
            programme=programme,
            campaign_id=meta.campaign_id,
            instrument=meta.instrument,
            confidentiality=meta.confidentiality,
            sender=sender[:300],
            subject=(message.subject if message else "")[:300],
            sent=_sent(extracted),
            body=message.body if message else extracted.text,
            filename=name[:255],
            raw=raw,
            sha256=sha,
            created_by=by,
        )
        return [Outcome(label, "held")]
    return _store_message(raw, name, label, extracted, organisations, programme, meta, by)


@transaction.atomic
def _store_message(raw, name, label, extracted, organisations, programme, meta, by):
    sent = _sent(extracted)
    day = timezone.localdate(sent) if sent and timezone.is_aware(sent) else None
    mail_meta = _mail_meta(meta, extracted, organisations, day)
    resource = resource_create(
        programme=programme,
        text=extracted.text,
        meta=mail_meta,
        by=by,
        original=(name, raw),
        extracted=extracted,
    )
    if meta.campaign_id:
        _link_response(meta.campaign_id, organisations[0], resource, sent)
    outcomes = [Outcome(label, "imported", resource=resource)]
    # Attachments are documents of their own with the message's provenance.
    attachment_meta = replace(mail_meta, title="", kind=Resource.Kind.DOCUMENT)
    for attachment in extracted.attachments:
        added = resource_add_file(
            programme=programme,
            data=attachment.data,
            filename=attachment.filename,
            meta=attachment_meta,
            by=by,
        )
        added.label = f"{label} › {attachment.filename}"
        outcomes.append(added)
    return outcomes


def _link_response(campaign_id: int, organisation: Organisation, resource, sent) -> None:
    """An e-mail reply counts as the organisation's submitted response unless one exists."""
    response, _created = Response.objects.get_or_create(
        campaign_id=campaign_id,
        organisation=organisation,
        defaults={
            "channel": Response.Channel.EMAIL,
            "status": Response.Status.SUBMITTED,
            "submitted": sent or timezone.now(),
        },
    )
    if response.resource_id is None:
        response.resource = resource
        response.save(update_fields=["resource"])


def pending_mail_assign(
    *, pending: PendingMail, organisation: Organisation, by: AbstractBaseUser | None = None
) -> list[Outcome]:
    """Store a held message as the chosen organisation's, then forget it."""
    meta = ResourceMeta(
        campaign_id=pending.campaign_id,
        instrument=pending.instrument,
        confidentiality=pending.confidentiality,
        organisations=[organisation],
    )
    raw = bytes(pending.raw)
    try:
        extracted = extract(raw, pending.filename)
    except IngestError as error:
        return [Outcome(pending.filename, "failed", error.message)]
    with transaction.atomic():
        pending.delete()
        return _store_message(
            raw,
            pending.filename,
            pending.filename,
            extracted,
            [organisation],
            pending.programme,
            meta,
            by,
        )


def pending_mail_discard(*, pending: PendingMail) -> None:
    """Forget a held message (nobody's, or not worth keeping)."""
    pending.delete()
