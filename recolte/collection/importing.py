"""Bulk import of files and e-mail replies into the library.

`import_paths` walks files and folders and stores each file through `resource_add_file`,
carrying on past bad files; e-mail files are split into messages, each matched to an
organisation by its sender (a person's address, else the organisation website's domain).
Messages nobody matches wait as `PendingMail` until a facilitator assigns or discards them.
"""

import hashlib
import logging
import mailbox
import multiprocessing
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from email.utils import parseaddr
from pathlib import Path, PurePath
from urllib.parse import urlparse

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from recolte.collection.ingest import MAX_BYTES, Extracted, IngestError, extract
from recolte.collection.models import Campaign, PendingMail, Resource, ResourceVersion, Response
from recolte.collection.services import (
    ResourceMeta,
    find_duplicate,
    resource_add_file,
    resource_create,
    resource_store_extracted,
)
from recolte.registry.models import Organisation, Person, Programme

logger = logging.getLogger(__name__)
MAIL_SUFFIXES = (".eml", ".mbox")
Progress = Callable[[int, int], None]


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)  # e-mails waiting for review
    failed: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)
    files: int = 0
    seconds: float = 0.0

    def add(self, outcome: "Outcome") -> None:
        if outcome.status in ("failed", "skipped"):
            getattr(self, outcome.status).append((outcome.label, outcome.reason))
        else:
            getattr(self, {"duplicate": "duplicates"}.get(outcome.status, outcome.status)).append(
                outcome.label
            )

    def as_dict(self) -> dict:
        return {
            "files": self.files,
            "seconds": round(self.seconds, 2),
            "imported": len(self.imported),
            "duplicates": len(self.duplicates),
            "held_for_review": len(self.held),
            "failed": [{"file": name, "reason": reason} for name, reason in self.failed],
            "skipped": [{"file": name, "reason": reason} for name, reason in self.skipped],
        }


@dataclass
class Outcome:
    label: str
    status: str  # imported | duplicate | held | failed | skipped
    reason: str = ""
    resource: Resource | None = None


def collect_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[Outcome]]:
    """Files under `paths` in a stable order (hidden files skipped), and the paths refused:
    missing ones, and links inside a folder that lead out of it (a folder shared for import
    must not hand over the rest of the disk)."""
    files: list[Path] = []
    refused: list[Outcome] = []
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            root = path.resolve()
            for folder, dirs, names in os.walk(path):  # never descends into linked folders
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(n for n in names if not n.startswith(".")):
                    found = Path(folder, name)
                    if found.is_symlink() and not found.resolve().is_relative_to(root):
                        outside = _("A symbolic link to a file outside the imported folder.")
                        refused.append(Outcome(str(found), "skipped", outside))
                    else:
                        files.append(found)
        else:
            refused.append(Outcome(str(raw), "failed", _("No such file or folder.")))
    return files, refused


@dataclass
class Prepared:
    """A file read and extracted, ready to store (the part that may run in a worker process)."""

    path: Path
    data: bytes = b""
    sha256: str = ""
    extracted: Extracted | None = None
    failure: str = ""
    known: bool = False  # already in the programme: not extracted again

    @property
    def is_mail(self) -> bool:
        return self.path.suffix.lower() in MAIL_SUFFIXES


def prepare(
    path: Path, max_bytes: int = MAX_BYTES, known: frozenset[str] = frozenset()
) -> Prepared:
    """Read and extract one file; never raises for bad input and touches no database."""
    try:
        size = path.stat().st_size
        if size > max_bytes:  # refuse before reading it into memory
            return Prepared(path, failure=_too_large(size, max_bytes))
        data = path.read_bytes()
    except OSError as error:
        return Prepared(path, failure=error.strerror or str(error))
    prepared = Prepared(path, data, hashlib.sha256(data).hexdigest())
    if prepared.is_mail:
        return prepared  # split into messages when stored
    if prepared.sha256 in known:
        prepared.known = True
        return prepared
    try:
        prepared.extracted = extract(data, path.name, max_bytes=max_bytes)
    except IngestError as error:
        prepared.failure = error.message
    return prepared


_worker_args: tuple[int, frozenset[str]] = (MAX_BYTES, frozenset())


def _init_worker(max_bytes: int, known: frozenset[str]) -> None:
    global _worker_args
    _worker_args = (max_bytes, known)


def _prepare_in_worker(path: Path) -> Prepared:
    return prepare(path, *_worker_args)


def import_paths(
    paths: Iterable[str | Path],
    *,
    programme: Programme,
    meta: ResourceMeta,
    by: AbstractBaseUser | None = None,
    max_bytes: int = MAX_BYTES,
    progress: Progress | None = None,
    workers: int = 1,
) -> ImportReport:
    """Import every file under `paths`; with `workers` > 1, extraction runs in that many
    processes while this one alone writes to the database, in the files' order."""
    started = time.perf_counter()
    files, refused = collect_files(paths)
    report = ImportReport(files=len(files))
    for outcome in refused:
        report.add(outcome)
    known = frozenset(
        ResourceVersion.objects.filter(resource__programme=programme)
        .exclude(original_sha256="")
        .values_list("original_sha256", flat=True)
    )
    with _prepared_stream(files, max_bytes, known, workers) as stream:
        for done, prepared in enumerate(stream, start=1):
            for outcome in store(
                prepared, programme=programme, meta=meta, by=by, max_bytes=max_bytes
            ):
                report.add(outcome)
            if progress:
                progress(done, len(files))
    report.seconds = time.perf_counter() - started
    return report


@contextmanager
def _prepared_stream(files: list[Path], max_bytes: int, known: frozenset[str], workers: int):
    if workers <= 1 or len(files) < 2:
        yield (prepare(path, max_bytes, known) for path in files)
        return
    # fork: workers inherit the loaded settings and only parse files, never touch the database.
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_init_worker, initargs=(max_bytes, known)) as pool:
        yield pool.imap(_prepare_in_worker, files, chunksize=2)


def store(
    prepared: Prepared, *, programme: Programme, meta: ResourceMeta, by=None, max_bytes=MAX_BYTES
) -> list[Outcome]:
    """Store one prepared file (or each message of a mail file); never raises."""
    label = str(prepared.path)
    if prepared.failure:
        return [Outcome(label, "failed", prepared.failure)]
    try:
        if prepared.is_mail:
            return import_mail(
                prepared.data,
                prepared.path.name,
                programme=programme,
                meta=meta,
                by=by,
                max_bytes=max_bytes,
                label=label,
            )
        if prepared.known:  # seen before the run: never extracted
            duplicate = find_duplicate(programme=programme, original_sha256=prepared.sha256)
            return [Outcome(label, "duplicate", resource=duplicate)]
        added = resource_store_extracted(
            programme=programme,
            data=prepared.data,
            filename=prepared.path.name,
            extracted=prepared.extracted,
            meta=meta,
            by=by,
        )
        return [Outcome(label, added.status, resource=added.resource)]
    except Exception as error:  # a bug or a database error on one file must not stop the run
        logger.exception("import: %s failed", label)
        return [Outcome(label, "failed", f"{type(error).__name__}: {error}")]


def _too_large(size: int, limit: int) -> str:
    return _("The file is %(size).1f MB; the limit is %(limit).1f MB.") % {
        "size": size / 2**20,
        "limit": limit / 2**20,
    }


# E-mail -------------------------------------------------------------------------------------


def split_mail(data: bytes, filename: str) -> list[tuple[str, bytes]]:
    """(name, raw message) pairs: an .eml is one message, an .mbox is cut at its "From " lines."""
    if PurePath(filename).suffix.lower() != ".mbox":
        return [(filename, data)]
    stem = PurePath(filename).stem
    # mailbox only reads from a path; the file lives as long as this call.
    with tempfile.TemporaryDirectory(prefix="recolte-mbox-") as folder:
        path = os.path.join(folder, "in.mbox")
        with open(path, "wb") as handle:
            handle.write(data)
        box = mailbox.mbox(path, create=False)
        try:
            raws = [box.get_bytes(key) for key in box.iterkeys()]
        finally:
            box.close()
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


def import_mail(
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
        reason = added.error.message if added.error else ""
        outcomes.append(
            Outcome(f"{label} › {attachment.filename}", added.status, reason, added.resource)
        )
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


def assign_pending(
    pending: PendingMail, organisation: Organisation, by: AbstractBaseUser | None = None
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
