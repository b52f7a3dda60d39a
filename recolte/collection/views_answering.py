"""Answering a campaign in the browser, signed in (contributor) or through an invitation link.

Both ways share one set of handlers over an `Answering` context that fixes the organisation:
nothing in a request can point a handler at another organisation's response.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from recolte.access import audit
from recolte.access.decorators import programme_view
from recolte.access.policy import Action, own_organisation_id
from recolte.collection import selectors
from recolte.collection import services as svc
from recolte.collection.answer_types import (
    YES_NO,
    answer_display,
    conditions_read,
    plain_number,
    scale_points,
    shown_questions,
)
from recolte.collection.forms_campaigns import UploadForm
from recolte.collection.models import Campaign, Question, Response, Upload
from recolte.collection.tasks import upload_start
from recolte.l10n import quoted
from recolte.registry.models import Organisation, Person
from recolte.registry.params import parse_id

STEPS = ("page", "save", "file", "docx", "reading", "submit")


@dataclass
class Answering:
    campaign: Campaign
    organisation: Organisation
    channel: str
    by: object | None  # the signed-in user, if any
    person: Person | None
    urls: dict[str, str]

    @property
    def response(self) -> Response | None:
        return Response.objects.filter(
            campaign=self.campaign, organisation=self.organisation
        ).first()

    def ensure_response(self) -> Response:
        svc.check_editable(self.campaign)
        return svc.response_for(self.campaign, self.organisation, self.channel)


def _urls(name: str, *args) -> dict[str, str]:
    return {
        step: reverse(f"collection:{name}" + ("" if step == "page" else f"_{step}"), args=args)
        for step in STEPS
    }


@programme_view(Action.ANSWER)
def respond(request: HttpRequest, programme, pk: int, step: str = "page") -> HttpResponse:
    org_id = own_organisation_id(request.user, programme)
    campaign = get_object_or_404(
        Campaign.objects.exclude(status=Campaign.Status.DRAFT), programme=programme, pk=pk
    )
    answered = campaign.responses.filter(organisation_id=org_id).exists()
    if not org_id or not (answered or selectors.addressed_to(campaign, org_id)):
        raise Http404
    context = Answering(
        campaign=campaign,
        organisation=Organisation.objects.get(pk=org_id),
        channel=Response.Channel.BROWSER,
        by=request.user,
        person=None,
        urls=_urls("respond", programme.slug, pk),
    )
    return HANDLERS[step](request, context)


def invitation(request: HttpRequest, token: str, step: str = "page") -> HttpResponse:
    try:
        found = svc.invitation_open(token)
    except svc.InvitationRefused as refused:
        page = "collection/invitation_refused.html"
        return render(request, page, {"refused": refused}, status=refused.status)
    language = request.LANGUAGE_CODE
    if found.language and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        language = found.language  # unless the respondent picked one with the switcher
    context = Answering(
        campaign=found.campaign,
        organisation=found.organisation,
        channel=Response.Channel.LINK,
        by=request.user if request.user.is_authenticated else None,
        person=found.person,
        urls=_urls("invitation", token),
    )
    with translation.override(language):  # pages, messages and errors alike
        request.LANGUAGE_CODE = language
        return HANDLERS[step](request, context)


def _bounds(question: Question) -> str:
    if question.answer_type != Question.AnswerType.NUMBER:
        return ""
    low, high = question.minimum, question.maximum
    if low is not None and high is not None:
        return _("A number from %(min)s to %(max)s.") % {
            "min": plain_number(low),
            "max": plain_number(high),
        }
    if low is not None:
        return _("A number of at least %(min)s.") % {"min": plain_number(low)}
    if high is not None:
        return _("A number of at most %(max)s.") % {"max": plain_number(high)}
    return ""


def _items(campaign: Campaign, response: Response | None) -> list[tuple]:
    """(question, its text in the page's language, the answer) for each question.

    Each question also carries `shown` (its condition is met, or it has none) and, when it has
    a condition, `condition_number` and `condition_values` (the answers showing it, as read);
    each answer its `display` text."""
    answers = {a.question_id: a for a in response.answers.all()} if response else {}
    questions = list(campaign.questions.all())
    shown = shown_questions(questions, {pk: a.text for pk, a in answers.items()})
    conditions = conditions_read(questions)
    for q in questions:
        q.shown = q.pk in shown
        q.bounds = _bounds(q)
        q.described = bool(q.help_text or q.bounds)
        if q.answer_type == Question.AnswerType.SCALE:
            q.points = scale_points(q)
        if q.pk in conditions:
            q.condition_number, labels = conditions[q.pk]
            q.condition_values = " / ".join(quoted(label) for label in labels)
        if q.pk in answers:
            answers[q.pk].display = answer_display(q, answers[q.pk].text)
    return [(q, q.text, answers.get(q.pk)) for q in questions]


def _missing(ctx: Answering, response: Response | None) -> list[Question]:
    if response is None:
        return [q for q in ctx.campaign.questions.all() if q.required]
    return svc.missing_answers(response)


def _page(request: HttpRequest, ctx: Answering) -> HttpResponse:
    """The form; `?check` (from the submit step) marks the questions still missing an answer."""
    response = ctx.response
    reading = selectors.answers_upload(response)
    missing = {q.pk for q in _missing(ctx, response)} if "check" in request.GET else set()
    context = {
        "missing": missing,
        "ctx": ctx,
        "campaign": ctx.campaign,
        "response": response,
        "items": _items(ctx.campaign, response),
        "required": any(q.required for q in ctx.campaign.questions.all()),
        "editable": ctx.campaign.status == Campaign.Status.OPEN,
        "pending": bool(response) and selectors.pending_changes(response),
        "upload_form": UploadForm(),
        "yes_no": YES_NO,
        "groups": ("multiple", "yes_no", "scale"),
        "reading": reading,
        "unmatched": [q.text for q in selectors.answers_unmatched(reading)] if reading else [],
    }
    if ctx.by:  # signed in: the programme navigation makes sense
        context["programme"] = ctx.campaign.programme
    return render(request, "collection/respond.html", context)


def _back(request: HttpRequest, ctx: Answering, error: ValidationError) -> HttpResponse:
    for message in error.messages:
        messages.error(request, message)
    return redirect(ctx.urls["page"])


def _save(request: HttpRequest, ctx: Answering) -> HttpResponse:
    """Autosave (fetch with X-Autosave: JSON answer) or the form's own save button.

    An answer refused (a number out of range, a malformed date) does not stop the others."""
    if request.method != "POST":
        return redirect(ctx.urls["page"])
    autosave = request.headers.get("X-Autosave") == "1"
    saved, refused = [], []
    try:
        response = ctx.ensure_response()
    except ValidationError as error:
        refused = error.messages
    else:
        for number, question in enumerate(ctx.campaign.questions.all(), start=1):
            name = f"q-{question.pk}"
            if name not in request.POST or question.answer_type == Question.AnswerType.FILE:
                continue
            # Several boxes of a multiple choice, after the empty value that clears it.
            text = "\n".join(v for v in request.POST.getlist(name) if v.strip())
            try:
                svc.answer_save(response=response, question=question, text=text, by=ctx.by)
            except ValidationError as error:
                refused += [f"{number}. {question.text[:80]} — {m}" for m in error.messages]
            else:
                saved.append(question.pk)
    if autosave:
        at = timezone.localtime().strftime("%H:%M")
        body = {"saved": saved, "saved_at": at} | ({"error": " ".join(refused)} if refused else {})
        return JsonResponse(body, status=409 if refused else 200)
    if refused:
        return _back(request, ctx, ValidationError(refused))
    messages.success(request, _("Draft saved."))
    return redirect(ctx.urls["page"])


def _file(request: HttpRequest, ctx: Answering) -> HttpResponse:
    if request.method != "POST":
        return redirect(ctx.urls["page"])
    form = UploadForm(request.POST, request.FILES)
    question = ctx.campaign.questions.filter(
        pk=parse_id(request.POST.get("question")) or 0, answer_type=Question.AnswerType.FILE
    ).first()
    if not form.is_valid() or question is None:
        messages.error(request, _("Choose a file to attach."))
        return redirect(ctx.urls["page"])
    upload = form.cleaned_data["file"]
    if upload.size > settings.RECOLTE_MAX_UPLOAD_BYTES:
        messages.error(request, _("This file is too large."))
        return redirect(ctx.urls["page"])
    try:
        svc.answer_save(response=ctx.ensure_response(), question=question, file=upload, by=ctx.by)
    except ValidationError as error:
        return _back(request, ctx, error)
    messages.success(request, _("File attached."))
    return redirect(ctx.urls["page"])


def _docx(request: HttpRequest, ctx: Answering) -> HttpResponse:
    if request.method != "POST":
        return redirect(ctx.urls["page"])
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a DOCX file."))
        return redirect(ctx.urls["page"])
    file = form.cleaned_data["file"]
    try:
        if file.size > settings.RECOLTE_MAX_UPLOAD_BYTES:
            raise ValidationError(_("This file is too large."))
        upload_start(
            programme=ctx.campaign.programme,
            purpose=Upload.Purpose.ANSWERS,
            file=file,
            response=ctx.ensure_response(),
            by=ctx.by,
        )
    except ValidationError as error:
        return _back(request, ctx, error)
    return redirect(ctx.urls["page"])


def _reading(request: HttpRequest, ctx: Answering) -> HttpResponse:
    """Polled while a document is read: the box until it is done, then a reload of the page
    (its form shows the answers read)."""
    upload = selectors.answers_upload(ctx.response)
    if upload is None or upload.status != Upload.Status.PENDING:
        return HttpResponse(headers={"HX-Refresh": "true"})
    return render(request, "collection/respond_reading.html", {"ctx": ctx, "reading": upload})


def _submit(request: HttpRequest, ctx: Answering) -> HttpResponse:
    """GET: a confirmation page listing the answers; POST: submit.

    While a required answer is missing there is nothing to confirm: back to the form, which
    lists the missing questions and links to each."""
    response = ctx.response
    if ctx.campaign.status == Campaign.Status.OPEN and _missing(ctx, response):
        return redirect(ctx.urls["page"] + "?check#problems")
    errors: list[str] = []
    if request.method == "POST":
        try:
            if response is None:
                raise ValidationError(_("Nothing has been answered yet."))
            svc.check_editable(ctx.campaign)
            svc.response_submit(response=response, by=ctx.by, person=ctx.person)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Thank you: your response has been submitted."))
            return redirect(ctx.urls["page"])
    context = {
        "ctx": ctx,
        "campaign": ctx.campaign,
        "response": response,
        "items": _items(ctx.campaign, response),
        "errors": errors,
    }
    if ctx.by:
        context["programme"] = ctx.campaign.programme
    status = 400 if errors else 200
    return render(request, "collection/respond_confirm.html", context, status=status)


HANDLERS = {
    "page": _page,
    "save": _save,
    "file": _file,
    "docx": _docx,
    "reading": _reading,
    "submit": _submit,
}


# Reading responses -----------------------------------------------------------------------------


def _readable(request: HttpRequest, programme, pk: int, org: int) -> Response:
    responses = selectors.visible_responses(request.user, programme)
    return get_object_or_404(
        responses.select_related("campaign", "organisation", "resource"),
        campaign=pk,
        organisation=org,
    )


@programme_view()
def response_detail(request: HttpRequest, programme, pk: int, org: int) -> HttpResponse:
    response = _readable(request, programme, pk, org)
    context = {
        "programme": programme,
        "campaign": response.campaign,
        "response": response,
        "items": _items(response.campaign, response),
    }
    # A submitted response has its resource's level; one still open is never public.
    audit.record_view(user=request.user, target=response.resource or response, request=request)
    return render(request, "collection/respond_detail.html", context)


@programme_view()
def answer_file(request: HttpRequest, programme, pk: int, org: int, qid: int) -> FileResponse:
    response = _readable(request, programme, pk, org)
    answer = get_object_or_404(response.answers, question_id=qid)
    if not answer.file:
        raise Http404
    name = answer.file.name.rsplit("/", 1)[-1]
    audit.record(user=request.user, verb=audit.Verb.VIEW, target=answer, request=request)
    # A download, never rendered inside the application (an answer file may be HTML or SVG).
    return FileResponse(
        answer.file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type="application/octet-stream",
    )
