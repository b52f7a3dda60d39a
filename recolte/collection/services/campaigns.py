"""Campaign lifecycle: create a draft, edit it, duplicate it for the next issue, open, close.

A campaign accepts answers while its status is "open": the closing date is a deadline, not a
lock, so late answers stay possible (and are tracked as late) until a facilitator closes it.
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from recolte.collection.models import Campaign, Question

MANY = ("axes", "chosen_organisations", "chosen_people")
COPIED = ("instrument", "introduction", "audience", "reminder_days")
_TRAILING_NUMBER = re.compile(r"(\d+)(\D*)$")


def _set_fields(campaign: Campaign, fields: dict) -> None:
    many = {name: fields.pop(name) for name in MANY if name in fields}
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.full_clean()
    campaign.save()
    for name, value in many.items():
        getattr(campaign, name).set(value)


@transaction.atomic
def campaign_create(*, programme, **fields) -> Campaign:
    """Create a draft campaign; `fields` are model fields, many-to-many ones included."""
    campaign = Campaign(programme=programme)
    _set_fields(campaign, dict(fields, status=Campaign.Status.DRAFT))
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, **fields) -> Campaign:
    fields.pop("status", None)  # only campaign_open/campaign_close move the status
    _set_fields(campaign, fields)
    return campaign


def _next_title(title: str) -> str:
    # "Carnet de route n°2" → "Carnet de route n°3"; anything else gets a suffix.
    match = _TRAILING_NUMBER.search(title)
    if match:
        return f"{title[: match.start()]}{int(match.group(1)) + 1}{match.group(2)}"
    return _("%(title)s (copy)") % {"title": title}


@transaction.atomic
def campaign_duplicate(*, campaign: Campaign) -> Campaign:
    """The next issue: same instrument, questions, axes and audience; new dates; draft."""
    copy = Campaign.objects.create(
        programme=campaign.programme,
        title=_next_title(campaign.title)[:200],
        status=Campaign.Status.DRAFT,
        **{name: getattr(campaign, name) for name in COPIED},
    )
    for name in MANY:
        getattr(copy, name).set(getattr(campaign, name).all())
    Question.objects.bulk_create(
        Question(
            campaign=copy,
            **{
                f.name: getattr(q, f.name)
                for f in Question._meta.concrete_fields
                if f.name not in ("id", "campaign")
            },
        )
        for q in campaign.questions.all()
    )
    return copy


def campaign_open(*, campaign: Campaign) -> Campaign:
    if campaign.status != Campaign.Status.DRAFT:
        raise ValidationError(_("Only a draft campaign can be opened."))
    if not campaign.questions.exists():
        raise ValidationError(_("Add at least one question before opening the campaign."))
    campaign.status = Campaign.Status.OPEN
    campaign.opens_on = campaign.opens_on or timezone.localdate()
    campaign.save(update_fields=["status", "opens_on"])
    # Imported here: tasks import this module to issue invitations.
    from recolte.collection.tasks import schedule_reminders

    transaction.on_commit(lambda: schedule_reminders(campaign))
    return campaign


def campaign_close(*, campaign: Campaign) -> Campaign:
    if campaign.status != Campaign.Status.OPEN:
        raise ValidationError(_("Only an open campaign can be closed."))
    campaign.status = Campaign.Status.CLOSED
    campaign.save(update_fields=["status"])
    return campaign
