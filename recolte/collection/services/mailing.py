"""Invitation and reminder e-mails, through Django's mail framework (backend from settings).

E-mails are written in the invitation's language, or the programme's default language
(settings.LANGUAGE_CODE) when it has none: the registry records no preferred language per person.
"""

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from recolte.collection.models import Campaign, Invitation, Response
from recolte.collection.selectors import audience_organisations, reminder_dates
from recolte.collection.services.invitations import invitation_issue, invitation_token
from recolte.registry.models import Organisation, Person

log = logging.getLogger(__name__)


def site_url() -> str:
    """Where links in e-mails point when no request is at hand (tasks run by cron)."""
    return getattr(settings, "RECOLTE_SITE_URL", "http://localhost:8000").rstrip("/")


def invitation_link(token: str, base_url: str | None = None) -> str:
    return (base_url or site_url()).rstrip("/") + reverse("collection:invitation", args=[token])


def compose(
    invitation: Invitation, token: str, *, reminder: bool = False, base_url: str | None = None
) -> EmailMessage:
    kind = "reminder" if reminder else "invitation"
    campaign = invitation.campaign
    context = {
        "campaign": campaign,
        "programme": campaign.programme,
        "organisation": invitation.organisation,
        "person": invitation.person,
        "link": invitation_link(token, base_url),
        "expires": invitation.expires,
    }
    with translation.override(invitation.language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"collection/emails/{kind}_subject.txt", context)
        body = render_to_string(f"collection/emails/{kind}_body.txt", context)
    return EmailMessage(" ".join(subject.split()), body, to=[invitation.email])


def _deliver(message: EmailMessage) -> bool:
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        log.exception("could not send %s", message.subject)
        return False
    return True


@dataclass
class InvitationsSentReport:
    sent: int = 0
    skipped: int = 0  # already invited at that address
    failed: int = 0
    without_address: list[str] = field(default_factory=list)  # organisations with no e-mail


def recipients(campaign: Campaign) -> list[tuple[Organisation, list[Person]]]:
    """Each addressed organisation with the people to write to: the chosen people of that
    organisation if any, otherwise everyone with an e-mail address."""
    chosen = set(campaign.chosen_people.values_list("pk", flat=True))
    result = []
    for org in audience_organisations(campaign).prefetch_related("people"):
        people = [p for p in org.people.all() if p.email]
        result.append((org, [p for p in people if p.pk in chosen] or people))
    return result


def invitations_send(campaign: Campaign, base_url: str | None = None) -> InvitationsSentReport:
    """Invite every addressed person once; a failed sending is retried on the next run."""
    report = InvitationsSentReport()
    for org, people in recipients(campaign):
        if not people:
            report.without_address.append(org.label)
        for person in people:
            existing = campaign.invitations.filter(
                email__iexact=person.email, organisation=org, revoked__isnull=True
            ).first()
            if existing and existing.sent:
                report.skipped += 1
                continue
            if existing:
                invitation, token = existing, invitation_token(existing)
            else:
                invitation, token = invitation_issue(
                    campaign=campaign, organisation=org, email=person.email, person=person
                )
            if invitation_send(invitation, token, base_url):
                report.sent += 1
            else:
                report.failed += 1
    return report


def invitation_send(invitation: Invitation, token: str, base_url: str | None = None) -> bool:
    if not _deliver(compose(invitation, token, base_url=base_url)):
        return False
    invitation.sent = timezone.now()
    invitation.save(update_fields=["sent"])
    return True


def _reminder_due(invitation: Invitation, today: date) -> bool:
    due = [d for d in reminder_dates(invitation.campaign) if d <= today]
    if not due:
        return False
    latest = due[-1]
    # At most one reminder per reminder date, never one right after the invitation itself.
    already = invitation.last_reminder and timezone.localdate(invitation.last_reminder) >= latest
    return not already and timezone.localdate(invitation.sent) < latest


def reminder_candidates(campaign: Campaign | None = None) -> list[Invitation]:
    submitted = Response.objects.filter(status=Response.Status.SUBMITTED).values_list(
        "campaign_id", "organisation_id"
    )
    invitations = Invitation.objects.filter(
        campaign__status=Campaign.Status.OPEN,
        revoked__isnull=True,
        sent__isnull=False,
        expires__gt=timezone.now(),
    ).select_related("campaign__programme", "organisation", "person")
    if campaign is not None:
        invitations = invitations.filter(campaign=campaign)
    done = set(submitted)
    return [i for i in invitations if (i.campaign_id, i.organisation_id) not in done]


def reminders_send_due(
    *, today: date | None = None, campaign: Campaign | None = None, base_url: str | None = None
) -> int:
    """Remind organisations that have not submitted; running it twice sends nothing new."""
    today = today or timezone.localdate()
    count = 0
    for invitation in reminder_candidates(campaign):
        if not _reminder_due(invitation, today):
            continue
        token = invitation_token(invitation)
        if _deliver(compose(invitation, token, reminder=True, base_url=base_url)):
            invitation.reminders_sent += 1
            invitation.last_reminder = timezone.now()
            invitation.save(update_fields=["reminders_sent", "last_reminder"])
            count += 1
    return count
