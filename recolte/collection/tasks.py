"""Background tasks (django-tasks): invitations, reminders and reading uploaded files.

Reminders run two ways, both idempotent (one reminder per invitation and reminder date):
opening a campaign enqueues one task per reminder date with `run_after` when the task backend
supports deferred tasks (the database backend does); `manage.py send_reminders`, run daily by
cron, is the safety net for backends that do not and for reminder settings changed later.
"""

from datetime import datetime, time

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django_tasks import TaskResult, task

from recolte.collection.models import Campaign, Record, Response, Upload
from recolte.collection.selectors import reminder_dates
from recolte.collection.services import (
    ResourceMeta,
    invitations_send,
    reminders_send_due,
    upload_read,
    upload_store,
)
from recolte.registry.models import Programme

REMINDER_HOUR = time(9, 0)


@task()
def send_campaign_invitations(campaign_id: int, base_url: str = "") -> dict:
    campaign = Campaign.objects.select_related("programme").get(pk=campaign_id)
    report = invitations_send(campaign, base_url or None)
    return {
        "sent": report.sent,
        "skipped": report.skipped,
        "failed": report.failed,
        "without_address": report.without_address,
    }


@task()
def send_campaign_reminders(campaign_id: int) -> int:
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    return reminders_send_due(campaign=campaign)


def schedule_reminders(campaign: Campaign) -> list[TaskResult]:
    """Enqueue the campaign's future reminders, if the backend can defer tasks."""
    if not send_campaign_reminders.get_backend().supports_defer:
        return []
    now = timezone.now()
    results = []
    for day in reminder_dates(campaign):
        when = timezone.make_aware(datetime.combine(day, REMINDER_HOUR))
        if when > now:
            deferred = send_campaign_reminders.using(run_after=when)
            results.append(deferred.enqueue(campaign.pk))
    return results


@task()
def read_upload(upload_id: int) -> str:
    related = Upload.objects.select_related(
        "programme", "response__campaign", "record", "created_by"
    )
    found = related.filter(pk=upload_id).first()
    return upload_read(upload=found).status if found else ""


def reads_inline(file: UploadedFile) -> bool:
    """Small files are read in the request: they take milliseconds."""
    return file.size <= settings.RECOLTE_UPLOAD_INLINE_BYTES


def upload_start(
    *,
    programme: Programme,
    purpose: str,
    file: UploadedFile,
    meta: ResourceMeta | None = None,
    response: Response | None = None,
    record: Record | None = None,
    by: AbstractBaseUser | None = None,
) -> Upload:
    """Store an uploaded file, then read it now if it is small, else through `read_upload`.

    The task row is written in the same transaction as the upload: with the database backend
    an upload is never pending without a task to read it, even while no worker runs."""
    upload = upload_store(
        programme=programme,
        purpose=purpose,
        file=file,
        meta=meta,
        response=response,
        record=record,
        by=by,
    )
    if reads_inline(file):
        return upload_read(upload=upload)
    read_upload.enqueue(upload.pk)
    upload.refresh_from_db()  # a backend that runs tasks at once has read it already
    return upload
