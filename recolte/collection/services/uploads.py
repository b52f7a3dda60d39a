"""Uploads read after the request: the file is stored as an `Upload`, then extracted.

Extracting the largest accepted ODT takes about 3 s (bench/bench_hostile_files.py), too long
for a page. `tasks.upload_start` reads a small file at once and hands a larger one to a task;
both end here, in `upload_read`, so the result is the same whichever way it ran. A pending
upload lives in the database with its task: if no worker runs, it waits and is read later.
"""

import datetime
import logging
from dataclasses import fields
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from recolte.collection.ingest import IngestError
from recolte.collection.models import Record, Resource, Response, Upload
from recolte.collection.services.docx_matching import docx_answer_parse
from recolte.collection.services.inbox import mail_import
from recolte.collection.services.records import record_transcript_read
from recolte.collection.services.resources import Outcome, ResourceMeta, resource_add_file
from recolte.registry.models import Organisation, Person, Programme

logger = logging.getLogger(__name__)


def meta_to_json(meta: ResourceMeta) -> dict[str, Any]:
    data = {f.name: getattr(meta, f.name) for f in fields(meta)}
    data["organisations"] = [o.pk for o in meta.organisations]
    data["people"] = [p.pk for p in meta.people]
    data["date"] = meta.date.isoformat() if meta.date else None
    return data


def meta_from_json(data: dict[str, Any], programme: Programme) -> ResourceMeta:
    """The provenance back, keeping only organisations and people still in the programme."""
    return ResourceMeta(
        **{
            **data,
            "organisations": list(
                Organisation.objects.filter(programme=programme, pk__in=data["organisations"])
            ),
            "people": list(
                Person.objects.filter(organisation__programme=programme, pk__in=data["people"])
            ),
            "date": datetime.date.fromisoformat(data["date"]) if data["date"] else None,
        }
    )


def upload_store(
    *,
    programme: Programme,
    purpose: str,
    file: UploadedFile,
    meta: ResourceMeta | None = None,
    response: Response | None = None,
    record: Record | None = None,
    by: AbstractBaseUser | None = None,
) -> Upload:
    """Keep the file, unread, with what is needed to read it later."""
    upload = Upload(
        programme=programme,
        purpose=purpose,
        filename=file.name[:255],
        meta=meta_to_json(meta) if meta else {},
        response=response,
        record=record,
        language=translation.get_language() or "",
        created_by=by if by and by.is_authenticated else None,
    )
    upload.file.save(file.name, file, save=True)
    return upload


def _outcome_json(outcome: Outcome) -> dict[str, Any]:
    return {
        "label": outcome.label,
        "status": outcome.status,
        "reason": str(outcome.reason),
        "resource": outcome.resource.pk if outcome.resource else None,
    }


def _read_library(upload: Upload, data: bytes) -> dict[str, Any]:
    meta = meta_from_json(upload.meta, upload.programme)
    added = resource_add_file(
        programme=upload.programme,
        data=data,
        filename=upload.filename,
        meta=meta,
        by=upload.created_by,
    )
    return {"outcomes": [_outcome_json(added)]}


def _read_mail(upload: Upload, data: bytes) -> dict[str, Any]:
    outcomes = mail_import(
        data,
        upload.filename,
        programme=upload.programme,
        meta=meta_from_json(upload.meta, upload.programme),
        by=upload.created_by,
    )
    return {"outcomes": [_outcome_json(o) for o in outcomes]}


def _read_answers(upload: Upload, data: bytes) -> dict[str, Any]:
    outcome = docx_answer_parse(response=upload.response, data=data, by=upload.created_by)
    return {
        "answered": [q.pk for q in outcome.answered],
        "unmatched": [q.pk for q in outcome.unmatched],
    }


def _read_record(upload: Upload, data: bytes) -> dict[str, Any]:
    try:
        resource = record_transcript_read(
            record=upload.record, name=upload.filename, data=data, by=upload.created_by
        )
    except IngestError as error:
        return {"outcomes": [_outcome_json(Outcome(upload.filename, "failed", error.message))]}
    return {"outcomes": [_outcome_json(Outcome(upload.filename, "imported", "", resource))]}


_READERS = {
    Upload.Purpose.LIBRARY: _read_library,
    Upload.Purpose.MAIL: _read_mail,
    Upload.Purpose.ANSWERS: _read_answers,
    Upload.Purpose.RECORD: _read_record,
}


def upload_read(*, upload: Upload) -> Upload:
    """Read a pending upload; never raises for a bad file: it ends "failed" with the reason,
    in the uploader's language. The stored file is then dropped (a resource keeps its own)."""
    if upload.status != Upload.Status.PENDING:
        return upload  # a task run twice reads once
    with translation.override(upload.language or None):
        try:
            with upload.file.open("rb") as handle:
                data = handle.read()
            upload.result = _READERS[upload.purpose](upload, data)
            upload.status = Upload.Status.DONE
            outcomes = upload.result.get("outcomes")
            if outcomes and all(o["status"] == "failed" for o in outcomes):
                upload.status, upload.message = Upload.Status.FAILED, outcomes[0]["reason"]
        except ValidationError as error:
            upload.status, upload.message = Upload.Status.FAILED, " ".join(error.messages)
        except Exception:  # a bug must still end the upload visibly, not leave it pending
            logger.exception("upload %s: reading failed", upload.pk)
            upload.status, upload.message = (
                Upload.Status.FAILED,
                _("This file could not be read."),
            )
    upload.finished = timezone.now()
    upload.file.delete(save=False)
    upload.save()
    return upload


def upload_outcomes(upload: Upload) -> list[Outcome]:
    """What a finished library or mail upload stored, each with its resource."""
    rows = upload.result.get("outcomes", [])
    ids = [row["resource"] for row in rows if row["resource"]]
    resources = Resource.objects.filter(pk__in=ids).prefetch_related("organisations").in_bulk()
    return [
        Outcome(row["label"], row["status"], row["reason"], resources.get(row["resource"]))
        for row in rows
    ]
