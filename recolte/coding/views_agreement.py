"""Inter-coder agreement: assign resources to two coders, compute kappa/alpha, settle."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from recolte.access.decorators import programme_view
from recolte.access.models import Membership
from recolte.access.policy import Action
from recolte.coding import agreement, selectors, services
from recolte.coding.forms import AssignForm
from recolte.coding.models import Assignment, Coding
from recolte.collection.models import Resource
from recolte.registry.models import Programme
from recolte.registry.params import parse_id


def _form(programme: Programme, data=None) -> AssignForm:
    return AssignForm(
        data,
        resources=Resource.objects.filter(programme=programme).order_by("title"),
        coders=selectors.coders(programme).order_by("username"),
    )


@programme_view(Action.CODE)
def agreement_page(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = _form(programme, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        name = services.assignments_add(
            programme=programme,
            round=data["round"],
            resources=data["resources"],
            coders=data["coders"],
        )
        messages.success(request, _("Resources assigned."))
        return redirect(reverse("coding:agreement_round", args=[programme.slug, name]))
    rounds = (
        Assignment.objects.filter(programme=programme).values_list("round", flat=True).distinct()
    )
    return render(
        request,
        "coding/agreement.html",
        {
            "programme": programme,
            "form": form,
            "rounds": sorted(set(rounds)),
            "assistant": selectors.assistant_agreement(programme),
        },
    )


@programme_view(Action.CODE)
def agreement_round(request: HttpRequest, programme: Programme, name: str) -> HttpResponse:
    result = agreement.compute(programme, name)
    assignments = Assignment.objects.filter(programme=programme, round=name).select_related(
        "resource", "coder"
    )
    return render(
        request,
        "coding/agreement_round.html",
        {
            "programme": programme,
            "name": name,
            "result": result,
            "assignments": assignments,
            "unit": _("passages of the corpus, else paragraphs"),
        },
    )


@require_POST
@programme_view(Action.CODE)
def settle(request: HttpRequest, programme: Programme, name: str) -> HttpResponse:
    """Accept a coder's codings for the other coder, or withdraw them."""
    ids = [pk for pk in map(parse_id, request.POST.getlist("coding")) if pk]
    codings = list(
        Coding.objects.filter(pk__in=ids, code__programme=programme).select_related(
            "version", "code"
        )
    )
    others = Membership.objects.filter(
        programme=programme, user_id=parse_id(request.POST.get("other"))
    )
    other = others.first().user if others.exists() else None
    if codings and other is not None:
        accept = request.POST.get("decision") == "accept"
        services.disagreement_settle(codings=codings, accept=accept, other=other, by=request.user)
        messages.success(request, _("Disagreement settled."))
    return redirect(reverse("coding:agreement_round", args=[programme.slug, name]))
