"""Campaign verbs: build and run campaigns, answer them, submit, invite by personal link.

A campaign accepts answers while its status is "open": the closing date is a deadline, not a
lock, so late answers stay possible (and are tracked as late) until a facilitator closes it.
"""

import base64
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from difflib import SequenceMatcher

from cryptography.fernet import Fernet, InvalidToken
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from recolte.collection.ingest import IngestError, extract
from recolte.collection.ingest.text import language_hint, normalise
from recolte.collection.models import Answer, Campaign, Invitation, Question, Resource, Response
from recolte.collection.services import ResourceMeta, resource_create, resource_new_version
from recolte.registry.models import Organisation, Person, PilotOperation

MANY = ("axes", "chosen_organisations", "chosen_people")
COPIED = ("instrument", "introduction", "audience", "reminder_days")
DEFAULT_INVITATION_DAYS = 60
_TRAILING_NUMBER = re.compile(r"(\d+)(\D*)$")


# Campaigns -------------------------------------------------------------------------------------


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


def reminder_dates(campaign: Campaign) -> list[date]:
    """The days reminders are due: closing date minus each number of `reminder_days`."""
    if not campaign.closes_on:
        return []
    days = {int(part) for part in re.findall(r"\d+", campaign.reminder_days)}
    return sorted(campaign.closes_on - timedelta(days=n) for n in days)


def audience_organisations(campaign: Campaign) -> QuerySet[Organisation]:
    """The organisations a campaign is addressed to."""
    orgs = Organisation.objects.filter(programme=campaign.programme)
    if campaign.audience == Campaign.Audience.PILOT_LEADS:
        leads = PilotOperation.objects.filter(programme=campaign.programme).values("lead")
        return orgs.filter(pk__in=leads)
    if campaign.audience == Campaign.Audience.ALL_MEMBERS:
        return orgs.filter(is_member=True)
    return orgs.filter(
        Q(pk__in=campaign.chosen_organisations.values("pk"))
        | Q(pk__in=campaign.chosen_people.values("organisation"))
    ).distinct()


def addressed_to(campaign: Campaign, organisation_id: int | None) -> bool:
    return bool(organisation_id) and (
        audience_organisations(campaign).filter(pk=organisation_id).exists()
        or campaign.invitations.filter(organisation_id=organisation_id).exists()
    )


def campaigns_for_organisation(programme, organisation_id: int | None) -> list[Campaign]:
    """Open and closed campaigns addressed to (or answered by) one organisation."""
    candidates = programme.campaigns.exclude(status=Campaign.Status.DRAFT)
    return [
        c
        for c in candidates
        if addressed_to(c, organisation_id)
        or c.responses.filter(organisation_id=organisation_id).exists()
    ]


# Questions -------------------------------------------------------------------------------------


def question_add(*, campaign: Campaign, **fields) -> Question:
    last = campaign.questions.order_by("-order").first()
    return Question.objects.create(
        campaign=campaign, order=(last.order + 1) if last else 1, **fields
    )


@transaction.atomic
def question_move(*, question: Question, step: int) -> None:
    """Move a question up (step -1) or down (+1); orders are renumbered 1..n."""
    ordered = list(question.campaign.questions.all())
    i = ordered.index(question)
    j = max(0, min(len(ordered) - 1, i + step))
    ordered[i], ordered[j] = ordered[j], ordered[i]
    for number, q in enumerate(ordered, start=1):
        if q.order != number:
            q.order = number
            q.save(update_fields=["order"])


def question_delete(*, question: Question) -> None:
    if question.answers.exclude(text="", file="").exists():
        raise ValidationError(_("This question already has answers: it cannot be deleted."))
    question.delete()


# Answering -------------------------------------------------------------------------------------


def response_for(campaign: Campaign, organisation: Organisation, channel: str) -> Response:
    response, _created = Response.objects.get_or_create(
        campaign=campaign, organisation=organisation, defaults={"channel": channel}
    )
    return response


def check_editable(campaign: Campaign) -> None:
    if campaign.status != Campaign.Status.OPEN:
        raise ValidationError(_("This campaign is closed: answers can no longer be changed."))


def answer_save(
    *,
    response: Response,
    question: Question,
    text: str | None = None,
    file: UploadedFile | None = None,
    by: AbstractBaseUser | None = None,
) -> Answer:
    """Store one answer of a draft (or of a submitted response, until the campaign closes).

    Editing a submitted response keeps it submitted; submitting again makes a new version.
    """
    check_editable(response.campaign)
    if question.campaign_id != response.campaign_id:
        raise ValidationError(_("This question belongs to another campaign."))
    answer, _created = Answer.objects.get_or_create(response=response, question=question)
    if file is None and (text is None or normalise(text) == answer.text):
        return answer  # unchanged: keeps "edited since submission" meaningful
    if text is not None:
        answer.text = normalise(text)
    if file is not None:
        answer.file = file
    answer.save()
    Response.objects.filter(pk=response.pk).update(updated=timezone.now())
    return answer


def pending_changes(response: Response) -> bool:
    """A submitted response edited since its submission."""
    return (
        bool(response.submitted)
        and response.answers.filter(updated__gt=response.submitted).exists()
    )


def _answer_value(question: Question, answer: Answer | None) -> str:
    if answer is None:
        return ""
    parts = [answer.text.strip()]
    if answer.file:
        parts.append(_("[attached file: %(name)s]") % {"name": answer.file.name.rsplit("/", 1)[-1]})
    return "\n\n".join(p for p in parts if p)


def missing_answers(response: Response) -> list[Question]:
    answers = {a.question_id: a for a in response.answers.all()}
    missing = []
    for question in response.campaign.questions.all():
        answer = answers.get(question.pk)
        value = _answer_value(question, answer)
        bad_choice = (
            question.answer_type == Question.AnswerType.CHOICE
            and value
            and answer.text not in question.choice_list()
        )
        if bad_choice or (question.required and not value):
            missing.append(question)
    return missing


def response_text(response: Response, language: str = "fr") -> str:
    """The response as one text: each answered question followed by its answer."""
    answers = {a.question_id: a for a in response.answers.all()}
    blocks = []
    for question in response.campaign.questions.all():
        value = _answer_value(question, answers.get(question.pk))
        if value:
            blocks.append(f"{question.text_in(language).strip()}\n\n{value}")
    return normalise("\n\n".join(blocks))


@transaction.atomic
def response_submit(
    *, response: Response, by: AbstractBaseUser | None = None, person: Person | None = None
) -> Response:
    """Submit: check required answers, then store the text as a resource (or a new version).

    Simultaneous submits of one response (two tabs, a double click) queue on its row, locked
    here (PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers): the first
    stores the resource, the next ones find it linked and add a version only if the text changed.
    """
    # Re-read under the lock: the caller's copy may predate another submit's resource.
    response.refresh_from_db(from_queryset=Response.objects.select_for_update())
    check_editable(response.campaign)
    missing = missing_answers(response)
    if missing:
        raise ValidationError(
            [_("Answer the question: %(q)s") % {"q": q.text_fr[:120]} for q in missing],
            code="required",
        )
    text = response_text(response)
    now = timezone.now()
    if response.resource:
        resource_new_version(resource=response.resource, text=text, by=by)
    else:
        campaign, org = response.campaign, response.organisation
        led = list(org.led_operations.filter(programme=campaign.programme)[:2])
        meta = ResourceMeta(
            title=f"{campaign.title} — {org.label}",
            kind=Resource.Kind.RESPONSE,
            instrument=campaign.instrument,
            campaign_id=campaign.pk,
            pilot_id=led[0].pk if len(led) == 1 else None,
            organisations=[org],
            people=[person] if person else [],
            date=timezone.localdate(now),
            language=language_hint(text) or "fr",
        )
        response.resource = resource_create(
            programme=campaign.programme, text=text, meta=meta, by=by
        )
    response.status = Response.Status.SUBMITTED
    response.submitted = now
    response.submitted_by = by if by and by.is_authenticated else None
    response.save()
    return response


# DOCX answers ----------------------------------------------------------------------------------

_NUMBERING = re.compile(
    r"^\s*(?:(?:question|q)\s*(?:n\s*[°o.]\s*)?\d+\s*[.:)\-–]?|\d+\s*[.:)\-–]|[-•*])\s*",
    re.IGNORECASE,
)


def _key(text: str) -> str:
    text = _NUMBERING.sub("", text)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.findall(r"\w+", text))


def _match(block: str, keys: dict[int, list[str]]) -> tuple[int | None, str]:
    """Which question a block starts with, and the rest of the block (an answer's beginning)."""
    lines = block.split("\n")
    head = _key(lines[0])
    if not head:
        return None, block
    for pk, texts in keys.items():
        for key in texts:
            close = head == key or (
                len(head) > 12 and SequenceMatcher(None, head, key).ratio() >= 0.85
            )
            if close:
                return pk, "\n".join(lines[1:]).strip()
    return None, block


@dataclass
class DocxOutcome:
    answered: list[Question] = field(default_factory=list)
    unmatched: list[Question] = field(default_factory=list)
    preamble: str = ""  # text found before the first recognised question


def docx_answer_parse(
    *, response: Response, data: bytes, by: AbstractBaseUser | None = None
) -> DocxOutcome:
    """Read an uploaded DOCX: the text after each recognised question becomes its answer."""
    check_editable(response.campaign)
    try:
        extracted = extract(data, "answer.docx")
    except IngestError as error:
        raise ValidationError(error.message, code=error.code) from error
    if extracted.format != "docx":
        raise ValidationError(_("This file is not a DOCX document."), code="type_mismatch")
    questions = {q.pk: q for q in response.campaign.questions.all()}
    keys = {
        pk: [_key(t) for t in (q.text_fr, q.text_en, q.text_es) if t.strip()]
        for pk, q in questions.items()
    }
    found: dict[int, list[str]] = {}
    current: int | None = None
    preamble: list[str] = []
    for block in extracted.text.split("\n\n"):
        pk, rest = _match(block, {k: v for k, v in keys.items() if k not in found})
        if pk is not None:
            current = pk
            found[pk] = [rest] if rest else []
        elif current is None:
            preamble.append(block)
        else:
            found[current].append(block)
    outcome = DocxOutcome(preamble="\n\n".join(preamble))
    with transaction.atomic():
        for pk, question in questions.items():
            if pk in found and question.answer_type != Question.AnswerType.FILE:
                answer_save(response=response, question=question, text="\n\n".join(found[pk]))
                outcome.answered.append(question)
            elif pk not in found:
                outcome.unmatched.append(question)
        Response.objects.filter(pk=response.pk).update(channel=Response.Channel.DOCX)
    return outcome


# Invitations -----------------------------------------------------------------------------------


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
    invitation = Invitation(
        campaign=campaign, organisation=organisation, person=person, email=email, expires=expires
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
