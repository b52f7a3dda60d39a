"""Campaign pages: build and run campaigns (facilitators), invitations and tracking."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from recolte.access import audit
from recolte.access.decorators import programme_view
from recolte.access.policy import Action, can, own_organisation_id
from recolte.collection import answer_table, selectors, tracking
from recolte.collection import services as svc
from recolte.collection.answer_types import conditions_read
from recolte.collection.forms_campaigns import CampaignForm, InvitationForm, QuestionForm
from recolte.collection.models import Campaign, Invitation, Question, Response
from recolte.collection.tasks import send_campaign_invitations


def _campaign(programme, pk: int) -> Campaign:
    return get_object_or_404(Campaign, programme=programme, pk=pk)


def _visible_campaign(request: HttpRequest, programme, pk: int) -> Campaign:
    """Staff see every campaign; others the open and closed ones; contributors their own."""
    campaign = _campaign(programme, pk)
    if can(request.user, Action.RUN_CAMPAIGNS, programme):
        return campaign
    if campaign.status == Campaign.Status.DRAFT:
        raise Http404
    if can(request.user, Action.VIEW_ALL_RESPONSES, programme):
        return campaign
    org = own_organisation_id(request.user, programme)
    if org and not (
        selectors.addressed_to(campaign, org)
        or campaign.responses.filter(organisation_id=org).exists()
    ):
        raise Http404
    return campaign


def _refuse(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@programme_view()
def campaigns(request: HttpRequest, programme) -> HttpResponse:
    runs = can(request.user, Action.RUN_CAMPAIGNS, programme)
    org = own_organisation_id(request.user, programme)
    if runs or can(request.user, Action.VIEW_ALL_RESPONSES, programme):
        listed = programme.campaigns.all()
        if not runs:
            listed = listed.exclude(status=Campaign.Status.DRAFT)
    elif org:
        listed = selectors.campaigns_for_organisation(programme, org)
    else:
        listed = programme.campaigns.exclude(status=Campaign.Status.DRAFT)
    responses = {}
    if org:
        responses = {
            r.campaign_id: r
            for r in Response.objects.filter(organisation_id=org, campaign__programme=programme)
        }
    rows = [(c, responses.get(c.pk)) for c in listed]
    context = {"programme": programme, "rows": rows, "can_run": runs, "answers": bool(org)}
    return render(request, "collection/campaigns.html", context)


@programme_view()
def campaign(request: HttpRequest, programme, pk: int) -> HttpResponse:
    campaign = _visible_campaign(request, programme, pk)
    runs = can(request.user, Action.RUN_CAMPAIGNS, programme)
    org = own_organisation_id(request.user, programme)
    context = {
        "programme": programme,
        "campaign": campaign,
        "questions": campaign.questions.all(),
        "can_run": runs,
        "can_read_all": can(request.user, Action.VIEW_ALL_RESPONSES, programme),
        "can_answer": bool(org) and can(request.user, Action.ANSWER, programme),
        "audience": selectors.audience_organisations(campaign),
        "reminders": selectors.reminder_dates(campaign),
    }
    if runs:
        invitations = campaign.invitations.select_related("organisation", "person").order_by(
            "organisation__name", "email"
        )
        context["invitations"] = [
            (i, svc.invitation_link(svc.invitation_token(i), request.build_absolute_uri("/")))
            for i in invitations
        ]
        context["invitation_form"] = InvitationForm(programme=programme)
    if context["can_read_all"]:
        context["responses"] = (
            selectors.visible_responses(request.user, programme)
            .filter(campaign=campaign)
            .select_related("organisation")
            .order_by("organisation__name")
        )
    return render(request, "collection/campaign.html", context)


@programme_view(Action.RUN_CAMPAIGNS)
def campaign_edit(request: HttpRequest, programme, pk: int | None = None) -> HttpResponse:
    campaign = _campaign(programme, pk) if pk else None
    form = CampaignForm(request.POST or None, instance=campaign, programme=programme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if campaign:
            svc.campaign_update(campaign=campaign, **data)
            messages.success(request, _("Campaign saved."))
            return redirect(campaign)
        campaign = svc.campaign_create(programme=programme, **data)
        messages.success(request, _("Campaign created: now add its questions."))
        return redirect("collection:campaign_questions", programme.slug, campaign.pk)
    context = {
        "programme": programme,
        "form": form,
        "campaign": campaign,
        "heading": _("Edit the campaign") if campaign else _("New campaign"),
        "cancel_url": campaign.get_absolute_url() if campaign else None,
    }
    return render(request, "collection/campaign_form.html", context)


@require_POST
@programme_view(Action.RUN_CAMPAIGNS)
def campaign_duplicate(request: HttpRequest, programme, pk: int) -> HttpResponse:
    copy = svc.campaign_duplicate(campaign=_campaign(programme, pk))
    messages.success(request, _("Campaign duplicated: set the dates of this new issue."))
    return redirect("collection:campaign_edit", programme.slug, copy.pk)


@require_POST
@programme_view(Action.RUN_CAMPAIGNS)
def campaign_status(request: HttpRequest, programme, pk: int, action: str) -> HttpResponse:
    campaign = _campaign(programme, pk)
    try:
        if action == "open":
            svc.campaign_open(campaign=campaign)
            messages.success(request, _("The campaign is open."))
        else:
            svc.campaign_close(campaign=campaign)
            messages.success(request, _("The campaign is closed."))
    except ValidationError as error:
        _refuse(request, error)
    return redirect(campaign)


# Question editor (HTMX: each action answers with the editor fragment) --------------------------


def _editor(request: HttpRequest, programme, campaign: Campaign, form=None, editing=None):
    questions = list(campaign.questions.all())
    conditions = conditions_read(questions)
    context = {
        "programme": programme,
        "campaign": campaign,
        "questions": [(q, conditions.get(q.pk)) for q in questions],
        "form": form or QuestionForm(campaign=campaign),
        "editing": editing,
    }
    if request.headers.get("HX-Request"):
        return render(request, "collection/campaign_questions_editor.html", context)
    return render(request, "collection/campaign_questions.html", context)


@programme_view(Action.RUN_CAMPAIGNS)
def campaign_questions(request: HttpRequest, programme, pk: int) -> HttpResponse:
    campaign = _campaign(programme, pk)
    form = QuestionForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            svc.question_add(campaign=campaign, **form.cleaned_data)
            form = None
        except ValidationError as error:
            form.add_error(None, error)
    return _editor(request, programme, campaign, form)


@programme_view(Action.RUN_CAMPAIGNS)
def question_edit(request: HttpRequest, programme, pk: int, qid: int) -> HttpResponse:
    campaign = _campaign(programme, pk)
    question = get_object_or_404(Question, campaign=campaign, pk=qid)
    form = QuestionForm(
        request.POST or None, instance=question, prefix=f"q{qid}", campaign=campaign
    )
    if request.method == "POST" and form.is_valid():
        try:
            svc.question_update(question=question, **form.cleaned_data)
            return _editor(request, programme, campaign)
        except ValidationError as error:
            question.refresh_from_db()
            form.add_error(None, error)
    return _editor(request, programme, campaign, editing=(question, form))


@require_POST
@programme_view(Action.RUN_CAMPAIGNS)
def question_move(request: HttpRequest, programme, pk: int, qid: int) -> HttpResponse:
    campaign = _campaign(programme, pk)
    question = get_object_or_404(Question, campaign=campaign, pk=qid)
    try:
        svc.question_move(question=question, step=-1 if request.POST.get("to") == "up" else 1)
    except ValidationError as error:
        _refuse(request, error)
    return _editor(request, programme, campaign)


@require_POST
@programme_view(Action.RUN_CAMPAIGNS)
def question_delete(request: HttpRequest, programme, pk: int, qid: int) -> HttpResponse:
    campaign = _campaign(programme, pk)
    question = get_object_or_404(Question, campaign=campaign, pk=qid)
    try:
        svc.question_delete(question=question)
    except ValidationError as error:
        _refuse(request, error)
    return _editor(request, programme, campaign)


# Invitations -----------------------------------------------------------------------------------


@require_POST
@programme_view(Action.RUN_CAMPAIGNS)
def campaign_invite(request: HttpRequest, programme, pk: int) -> HttpResponse:
    campaign = _campaign(programme, pk)
    if campaign.status != Campaign.Status.OPEN:
        messages.error(request, _("Open the campaign before sending invitations."))
    else:
        send_campaign_invitations.enqueue(campaign.pk, request.build_absolute_uri("/"))
        messages.success(request, _("Invitations are being sent to the campaign's audience."))
    return redirect(campaign)


@require_POST
@programme_view(Action.RUN_CAMPAIGNS)
def invitation_create(request: HttpRequest, programme, pk: int) -> HttpResponse:
    campaign = _campaign(programme, pk)
    form = InvitationForm(request.POST, programme=programme)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(campaign)
    data = form.cleaned_data
    invitation, token = svc.invitation_issue(
        campaign=campaign,
        organisation=data["organisation"],
        email=data["email"],
        person=data["person"],
        language=data["language"],
    )
    if campaign.status == Campaign.Status.OPEN and svc.invitation_send(
        invitation, token, request.build_absolute_uri("/")
    ):
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
    else:
        messages.warning(
            request,
            _("Invitation created but not sent: share its link below, or send it once open."),
        )
    return redirect(campaign)


@require_POST
@programme_view(Action.RUN_CAMPAIGNS)
def invitation_revoke(request: HttpRequest, programme, pk: int, iid: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, campaign__programme=programme, campaign=pk, pk=iid)
    svc.invitation_revoke(invitation=invitation)
    email = invitation.email
    messages.success(request, _("The link of %(email)s no longer opens.") % {"email": email})
    return redirect(invitation.campaign)


# Tracking --------------------------------------------------------------------------------------


@programme_view(Action.VIEW_ALL_RESPONSES)
def campaign_tracking(request: HttpRequest, programme, pk: int) -> HttpResponse:
    campaign = _campaign(programme, pk)
    table = tracking.campaign_tracking(campaign)
    context = {"programme": programme, "campaign": campaign, "t": table}
    return render(request, "collection/tracking_campaign.html", context)


@programme_view(Action.VIEW_ALL_RESPONSES)
def programme_tracking(request: HttpRequest, programme) -> HttpResponse:
    table = tracking.programme_tracking(programme)
    lines = [(org, table.cells[org.pk]) for org in table.organisations]
    context = {"programme": programme, "table": table, "lines": lines}
    return render(request, "collection/tracking_programme.html", context)


@programme_view(Action.VIEW_ALL_RESPONSES)
def answers_export(request: HttpRequest, programme, pk: int, fmt: str) -> HttpResponse:
    """The answers of the responses this person may read, one row per organisation."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    campaign = _campaign(programme, pk)
    responses = selectors.visible_responses(request.user, programme).filter(campaign=campaign)
    header, rows = answer_table.answers_table(campaign, responses.order_by("organisation__name"))
    return audit.exported_table(
        request=request,
        programme=programme,
        name=f"{programme.slug}-answers-{campaign.pk}",
        header=header,
        rows=rows,
        fmt=fmt,
        title=_("Answers"),
    )


@programme_view(Action.VIEW_ALL_RESPONSES)
def tracking_export(
    request: HttpRequest, programme, fmt: str, pk: int | None = None
) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    if pk:
        campaign = _campaign(programme, pk)
        trackings, name = [tracking.campaign_tracking(campaign)], f"tracking-{campaign.pk}"
    else:
        trackings, name = tracking.programme_tracking(programme).campaigns, "tracking"
    header, rows = tracking.export_table(trackings)
    return audit.exported_table(
        request=request,
        programme=programme,
        name=f"{programme.slug}-{name}",
        header=header,
        rows=rows,
        fmt=fmt,
        title=_("Tracking"),
    )
