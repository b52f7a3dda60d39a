"""Records of interviews, on-site meetings, workshops, seminars and videos, and their texts.

A record is the event; what was said lives in resources attached to it (transcript, minutes,
notes, boxed examples, the video file), so the library and the corpus read them like any other.
Files are extracted before anything is written: a bad file leaves no record half-stored.
"""

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from recolte.collection.ingest import Extracted, IngestError, extract
from recolte.collection.ingest.text import language_hint
from recolte.collection.instruments import MAIN_KIND, Instrument
from recolte.collection.models import Record, Resource
from recolte.collection.services.resources import (
    ResourceMeta,
    resource_create,
    resource_new_version,
)

SUBTITLE_FORMATS = ("srt", "vtt")
VIDEO_EXTENSIONS = (".mp4", ".webm", ".ogv", ".mov", ".m4v", ".mkv", ".mp3", ".m4a", ".ogg")
VIDEO_MAX_BYTES = 200 * 1024 * 1024


@dataclass
class RecordText:
    """What was said, either pasted or uploaded (name, bytes); empty means leave it as it is."""

    text: str = ""
    upload: tuple[str, bytes] | None = None

    def __bool__(self) -> bool:
        return bool(self.text.strip() or self.upload)


def _prepare(instrument: str, content: RecordText) -> Extracted | None:
    """Extract an uploaded transcript now, so that failures happen before any write."""
    if not content.upload:
        return None
    name, data = content.upload
    extracted = extract(data, name)
    if instrument == Instrument.VIDEO and extracted.format not in (*SUBTITLE_FORMATS, "txt"):
        raise IngestError(
            "type_mismatch",
            _("A video transcript must be an SRT or WebVTT subtitle file, or plain text."),
        )
    return extracted


def _check_video(video: tuple[str, bytes] | None) -> None:
    if not video:
        return
    name, data = video
    if PurePath(name).suffix.lower() not in VIDEO_EXTENSIONS:
        raise IngestError(
            "unsupported",
            _("Unsupported video or audio file; accepted: %(types)s."),
            types=", ".join(VIDEO_EXTENSIONS),
        )
    if len(data) > VIDEO_MAX_BYTES:
        raise IngestError(
            "too_large", _("The video is larger than %(mb)s MB."), mb=VIDEO_MAX_BYTES >> 20
        )


def record_meta(record: Record, kind: str, title: str, text: str = "") -> ResourceMeta:
    """Provenance of a resource drawn from a record."""
    return ResourceMeta(
        title=title,
        kind=kind,
        instrument=record.instrument,
        record_id=record.pk,
        pilot_id=record.pilot_id,
        organisations=list(record.organisations.all()),
        people=list(record.people.all()),
        date=record.date,
        language=(language_hint(text) or "") if text else "",
        confidentiality=record.confidentiality,
    )


def main_resource(record: Record) -> Resource | None:
    return record.resources.filter(kind=MAIN_KIND.get(record.instrument, "")).first()


@transaction.atomic
def record_save(
    *,
    record: Record,
    organisations: list,
    people: list,
    by: AbstractBaseUser | None = None,
    content: RecordText | None = None,
    video: tuple[str, bytes] | None = None,
) -> Record:
    """Create or update a record, its main text and (for videos) the video file.

    Raises `IngestError` for a bad file, before anything is written.
    """
    content = content or RecordText()
    extracted = _prepare(record.instrument, content)
    _check_video(video)
    record.save()
    record.organisations.set(organisations)
    record.people.set(people)
    _sync_provenance(record)
    if content:
        _store_main_text(record, content, extracted, by)
    if video:
        _store_video(record, video, by, transcribed=main_resource(record) is not None)
    return record


@transaction.atomic
def record_transcript_read(
    *, record: Record, name: str, data: bytes, by: AbstractBaseUser | None = None
) -> Resource:
    """Read a transcript file stored for `record` (by a task when it is large) into its main
    text. Raises `IngestError` for a bad file, before anything is written."""
    content = RecordText(upload=(name, data))
    return _store_main_text(record, content, _prepare(record.instrument, content), by)


def _sync_provenance(record: Record) -> None:
    """Resources follow their record's organisations, pilot and date when it is edited."""
    organisations = list(record.organisations.all())
    for resource in record.resources.all():
        resource.organisations.set(organisations)
    record.resources.update(pilot=record.pilot, date=record.date, instrument=record.instrument)


def _store_main_text(
    record: Record, content: RecordText, extracted: Extracted | None, by
) -> Resource:
    text = extracted.text if extracted else content.text
    original = content.upload
    existing = main_resource(record)
    if existing:
        resource_new_version(
            resource=existing, text=text, by=by, original=original, extracted=extracted
        )
        return existing
    kind = MAIN_KIND.get(record.instrument, Resource.Kind.DOCUMENT)
    title = f"{record.title} — {Resource.Kind(kind).label}"
    return resource_create(
        programme=record.programme,
        text=text,
        meta=record_meta(record, kind, title, text),
        by=by,
        original=original,
        extracted=extracted,
    )


def _store_video(record: Record, video: tuple[str, bytes], by, transcribed: bool) -> Resource:
    """The video file as a resource without text, flagged until a transcript exists."""
    name, data = video
    placeholder = Extracted(
        text="",
        format=PurePath(name).suffix.lower().lstrip("."),
        sha256=hashlib.sha256(data).hexdigest(),
        needs_transcript=not transcribed,
    )
    existing = video_resource(record)
    if existing:
        resource_new_version(
            resource=existing, text="", by=by, original=video, extracted=placeholder
        )
        return existing
    video_file = _("video file")  # outside the f-string, for xgettext
    meta = record_meta(record, Resource.Kind.DOCUMENT, f"{record.title} — {video_file}")
    return resource_create(
        programme=record.programme, text="", meta=meta, by=by, original=video, extracted=placeholder
    )


def video_resource(record: Record) -> Resource | None:
    formats = [suffix.lstrip(".") for suffix in VIDEO_EXTENSIONS]
    return record.resources.filter(versions__format__in=formats).first()


def box_create(*, record: Record, title: str, text: str, by: AbstractBaseUser | None = None):
    """A boxed example (encadré) drawn from an on-site meeting."""
    return resource_create(
        programme=record.programme,
        text=text,
        meta=record_meta(record, Resource.Kind.BOX, title, text),
        by=by,
    )
