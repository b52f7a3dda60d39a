"""The review queue of code suggestions, the decisions on them, and the model's status."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from recolte.access.decorators import programme_view
from recolte.access.policy import Action
from recolte.coding import selectors, services
from recolte.coding.models import Code, Suggestion, SuggestionModel
from recolte.coding.selectors import tree
from recolte.coding.services.training import TOP_K, in_flight
from recolte.coding.tasks_suggest import retrain
from recolte.collection.models import ResourceVersion
from recolte.corpus.models import Passage
from recolte.registry import params
from recolte.registry.models import Programme

PENDING = Suggestion.Status.PENDING


def _review_url(programme: Programme, order: str, pos: int = 0) -> str:
    query = {k: v for k, v in (("order", order if order != "document" else ""), ("pos", pos)) if v}
    base = reverse("coding:review", args=[programme.slug])
    return f"{base}?{urlencode(query)}" if query else base


def _neighbour(passage: Passage, step: int) -> Passage | None:
    siblings = Passage.objects.filter(resource_id=passage.resource_id, retired_in__isnull=True)
    if step < 0:
        return siblings.filter(ordinal__lt=passage.ordinal).order_by("-ordinal").first()
    return siblings.filter(ordinal__gt=passage.ordinal).order_by("ordinal").first()


def _model_status(programme: Programme) -> dict:
    return {
        "latest": SuggestionModel.objects.filter(programme=programme).order_by("-version").first(),
        "ready": selectors.current_model(programme),
        "in_flight": in_flight(programme),
        "acceptance": selectors.acceptance(programme),
    }


def _high_confidence(suggestions: list[Suggestion]) -> set[int]:
    """Suggestions in the model's high-confidence band (none when it could not promise one)."""
    threshold = suggestions[0].model.metrics.get("high_threshold") if suggestions else None
    return {s.pk for s in suggestions if threshold is not None and s.score >= threshold}


@programme_view(Action.CODE)
def review(request: HttpRequest, programme: Programme) -> HttpResponse:
    """One passage at a time with its neighbours dimmed and its best codes to decide on."""
    order = "uncertain" if request.GET.get("order") == "uncertain" else "document"
    queue = selectors.review_queue(programme, request.user, order)
    remaining = queue.count()
    pos = params.parse_id(request.GET.get("pos")) or 0
    # Skipping past the end starts again from the first passage still waiting.
    pos = pos % remaining if remaining else 0
    passage = queue[pos] if remaining else None
    context = {
        "programme": programme,
        "order": order,
        "remaining": remaining,
        "progress": selectors.review_progress(programme, request.user),
        "here": _review_url(programme, order, pos),
        "skip": _review_url(programme, order, pos + 1),
        "switch": _review_url(programme, "document" if order == "uncertain" else "uncertain"),
        **_model_status(programme),
    }
    if passage is not None:
        suggestions = list(
            passage.suggestions.filter(status=PENDING)
            .select_related("code", "model")
            .order_by("-score", "rank")[:TOP_K]
        )
        context.update(
            {
                "passage": passage,
                "previous": _neighbour(passage, -1),
                "following": _neighbour(passage, 1),
                "suggestions": suggestions,
                "high": _high_confidence(suggestions),
                "codes": tree(programme),
            }
        )
    return render(request, "coding/review.html", context)


def _back(request: HttpRequest, programme: Programme) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("coding:review", args=[programme.slug])
    return HttpResponseRedirect(target)  # redirect() would read "0" as a view name


def _suggestion(programme: Programme, pk: int) -> Suggestion:
    return get_object_or_404(Suggestion, pk=pk, passage__programme=programme)


def _decide(request: HttpRequest, programme: Programme, verb, **kwargs) -> HttpResponse:
    try:
        verb(by=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request, programme)


@require_POST
@programme_view(Action.CODE)
def accept(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    suggestion = _suggestion(programme, pk)
    return _decide(request, programme, services.suggestion_accept, suggestion=suggestion)


@require_POST
@programme_view(Action.CODE)
def pick(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    suggestion = _suggestion(programme, pk)
    code = params.object_or_404(Code, request.POST.get("code"), programme=programme)
    return _decide(request, programme, services.suggestion_pick, suggestion=suggestion, code=code)


@require_POST
@programme_view(Action.CODE)
def reject(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    suggestion = _suggestion(programme, pk)
    return _decide(request, programme, services.suggestion_reject, suggestion=suggestion)


@require_POST
@programme_view(Action.CODE)
def reject_passage(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    passage = get_object_or_404(Passage, pk=pk, programme=programme)
    return _decide(request, programme, services.passage_reject, passage=passage)


@require_POST
@programme_view(Action.CODE)
def retrain_now(request: HttpRequest, programme: Programme) -> HttpResponse:
    if retrain(programme) is None:
        messages.info(request, _("A training is already queued or running."))
    else:
        messages.success(request, _("Training queued: suggestions refresh when it finishes."))
    return _back(request, programme)


@programme_view(Action.CODE)
def panel(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    """A fragment for the workbench: pending suggestions for the uncoded passages of a version."""
    version = get_object_or_404(ResourceVersion, pk=pk, resource__programme=programme)
    found = (
        Suggestion.objects.filter(
            passage__version=version,
            passage__retired_in__isnull=True,
            passage__codings__isnull=True,
            status=PENDING,
        )
        .select_related("passage", "code")
        .order_by("passage__ordinal", "-score")
    )
    groups: dict[int, dict] = {}
    for s in found:
        groups.setdefault(s.passage_id, {"passage": s.passage, "items": []})["items"].append(s)
    return render(
        request,
        "coding/review_panel.html",
        {
            "programme": programme,
            "groups": list(groups.values()),
            "back": reverse("coding:workbench", args=[programme.slug, version.resource_id]),
        },
    )
