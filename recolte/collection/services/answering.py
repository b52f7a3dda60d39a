"""Answering a campaign: drafts answer by answer, then submission as a resource (or a version).

Answers stay editable while the campaign is open, submitted or not; submitting again stores a
new version of the same resource.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from recolte.collection.answer_types import (
    STRUCTURED_TYPES,
    answer_clean,
    answer_display,
    shown_questions,
)
from recolte.collection.ingest.text import language_hint, normalise
from recolte.collection.models import Answer, Campaign, Question, Resource, Response
from recolte.collection.services.resources import (
    ResourceMeta,
    resource_create,
    resource_new_version,
)
from recolte.registry.models import Organisation, Person


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
    The text is checked against the question's type (`answer_types.answer_clean`); a question
    whose condition is unmet keeps no answer.
    """
    check_editable(response.campaign)
    if question.campaign_id != response.campaign_id:
        raise ValidationError(_("This question belongs to another campaign."))
    if text is not None:
        text = answer_clean(question, normalise(text))
        if question.show_if_id and question.pk not in _shown(response):
            text = ""
    answer, _created = Answer.objects.get_or_create(response=response, question=question)
    if file is None and (text is None or text == answer.text):
        return answer  # unchanged: keeps "edited since submission" meaningful
    if text is not None:
        answer.text = text
    if file is not None:
        answer.file = file
    answer.save()
    Response.objects.filter(pk=response.pk).update(updated=timezone.now())
    return answer


def _shown(response: Response) -> set[int]:
    texts = dict(response.answers.values_list("question_id", "text"))
    return shown_questions(list(response.campaign.questions.all()), texts)


def _valid(question: Question, text: str) -> bool:
    """Still acceptable: choices or bounds may have changed since the answer was saved."""
    try:
        return answer_clean(question, text) == text
    except ValidationError:
        return False


def _answer_value(question: Question, answer: Answer | None) -> str:
    if answer is None:
        return ""
    parts = [answer_display(question, answer.text.strip())]
    if answer.file:
        parts.append(_("[attached file: %(name)s]") % {"name": answer.file.name.rsplit("/", 1)[-1]})
    return "\n\n".join(p for p in parts if p)


def missing_answers(response: Response) -> list[Question]:
    """Questions that apply and still lack a required answer or hold one no longer valid."""
    answers = {a.question_id: a for a in response.answers.all()}
    shown = _shown(response)
    missing = []
    for question in response.campaign.questions.all():
        if question.pk not in shown:
            continue  # its condition is unmet: never required
        answer = answers.get(question.pk)
        value = _answer_value(question, answer)
        if (value and not _valid(question, answer.text)) or (question.required and not value):
            missing.append(question)
    return missing


def response_text(response: Response, language: str = "fr") -> str:
    """The response as one text: each answered question followed by its answer.

    Numbers, dates, scales and yes/no stay out (`STRUCTURED_TYPES`), as do the questions
    whose condition is unmet."""
    answers = {a.question_id: a for a in response.answers.all()}
    shown = _shown(response)
    blocks = []
    for question in response.campaign.questions.all():
        if question.pk not in shown or question.answer_type in STRUCTURED_TYPES:
            continue
        with translation.override(language):
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
            [_("Answer the question: %(q)s") % {"q": q.text[:120]} for q in missing],
            code="required",
        )
    # Answers given while a condition held are dropped once it no longer does.
    response.answers.exclude(question_id__in=_shown(response)).update(text="", file="")
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
