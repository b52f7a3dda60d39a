"""Background tasks (django-tasks): invitations and reminders.

Reminders run two ways, both idempotent (one reminder per invitation and reminder date):
opening a campaign enqueues one task per reminder date with `run_after` when the task backend
supports deferred tasks (the database backend does); `manage.py send_reminders`, run daily by
cron, is the safety net for backends that do not and for reminder settings changed later.
"""

from datetime import datetime, time

from django.utils import timezone
from django_tasks import TaskResult, task

from recolte.collection import mailing
from recolte.collection.campaigns import reminder_dates
from recolte.collection.models import Campaign

REMINDER_HOUR = time(9, 0)


@task()
def send_campaign_invitations(campaign_id: int, base_url: str = "") -> dict:
    campaign = Campaign.objects.select_related("programme").get(pk=campaign_id)
    report = mailing.send_invitations(campaign, base_url or None)
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
    return mailing.send_due_reminders(campaign=campaign)


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
