"""Personal invitation links: issue, show again, revoke, and open one to answer."""

import base64
from datetime import date, datetime, time, timedelta

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from recolte.collection.models import Campaign, Invitation
from recolte.registry.models import Organisation, Person

DEFAULT_INVITATION_DAYS = 60


class InvitationRefused(Exception):
    """A link that cannot open a response; `status` is the HTTP status the page answers with."""

    def __init__(self, reason: str, message: str, status: int) -> None:
        super().__init__(reason)
        self.reason, self.message, self.status = reason, message, status


def _link_cipher() -> Fernet:
    key = salted_hmac("recolte.invitation.link", "", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _new_link(invitation: Invitation) -> str:
    token = invitation.issue_token()
    invitation.token_sealed = _link_cipher().encrypt(token.encode()).decode()
    return token


def invitation_token(invitation: Invitation) -> str:
    """The invitation's link token, to show facilitators and repeat in reminders.

    Tokens are random, so nothing about the invitation derives them. The database keeps their
    hash to find the invitation, and the token encrypted under a key derived from SECRET_KEY so
    the same link can be shown again (a fresh link per reminder would break the one a
    facilitator shared by other means); a database leak alone yields no working link. A link
    sealed under a former key, or issued before sealing existed, is replaced by a fresh one.
    """
    try:
        return _link_cipher().decrypt(invitation.token_sealed.encode()).decode()
    except InvalidToken:
        token = _new_link(invitation)
        invitation.save(update_fields=["token_hash", "token_sealed"])
        return token


@transaction.atomic
def invitation_issue(
    *,
    campaign: Campaign,
    organisation: Organisation,
    email: str,
    person: Person | None = None,
    days: int | None = None,
    language: str = "",
) -> tuple[Invitation, str]:
    """A new personal link for one organisation; valid `days` days (default: until 30 days
    after the closing date, or 60 days)."""
    if organisation.programme_id != campaign.programme_id:
        raise ValidationError(_("This organisation is not in the campaign's programme."))
    now = timezone.now()
    if days is not None:
        expires = now + timedelta(days=days)
    elif campaign.closes_on:
        expires = max(now, _end_of(campaign.closes_on)) + timedelta(days=30)
    else:
        expires = now + timedelta(days=DEFAULT_INVITATION_DAYS)
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unknown language: %(code)s.") % {"code": language})
    invitation = Invitation(
        campaign=campaign,
        organisation=organisation,
        person=person,
        email=email,
        expires=expires,
        language=language,
    )
    token = _new_link(invitation)
    invitation.save()
    return invitation, token


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def invitation_revoke(*, invitation: Invitation) -> None:
    if invitation.revoked is None:
        invitation.revoked = timezone.now()
        invitation.save(update_fields=["revoked"])


def invitation_open(token: str) -> Invitation:
    """The invitation behind a link, or InvitationRefused saying why it no longer opens."""
    invitation = (
        Invitation.objects.select_related("campaign__programme", "organisation")
        .filter(token_hash=Invitation.hash(token))
        .first()
    )
    if invitation is None:
        raise InvitationRefused("unknown", _("This link is not valid."), 404)
    if invitation.revoked:
        raise InvitationRefused("revoked", _("This link has been withdrawn."), 403)
    if timezone.now() >= invitation.expires:
        raise InvitationRefused("expired", _("This link has expired."), 410)
    if invitation.campaign.status != Campaign.Status.OPEN:
        raise InvitationRefused("closed", _("This campaign is not open for answers."), 410)
    Invitation.objects.filter(pk=invitation.pk).update(last_used=timezone.now())
    return invitation
