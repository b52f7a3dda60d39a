"""Quotations found in text, reviewed by a person: the queue (a programme's or one resource's),
confirm (with the attribution as edited) and dismiss. Detection runs when the page is asked:
a hundred-passage resource takes milliseconds (`selectors.quote_reviews`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from recolte.access.decorators import programme_view
from recolte.access.policy import Action, visible_material
from recolte.coding import services
from recolte.coding.forms import QuoteConfirmForm
from recolte.coding.selectors import QuoteReview, quote_reviews
from recolte.collection.models import Resource, ResourceVersion
from recolte.registry import params
from recolte.registry.models import Programme


def _resource(request: HttpRequest, programme: Programme, value) -> Resource:
    visible = Resource.objects.filter(programme=programme).filter(
        visible_material(request.user, programme)
    )
    return params.object_or_404(visible, value)


def _page(
    request: HttpRequest,
    programme: Programme,
    resource: Resource | None,
    bound: QuoteConfirmForm | None = None,
) -> HttpResponse:
    rows = []
    for review in quote_reviews(programme, request.user, resource):
        form = bound if bound is not None and bound.prefix == review.key else None
        form = form or QuoteConfirmForm(
            prefix=review.key, initial=review.initial, programme=programme
        )
        rows.append((review, form))
    context = {"programme": programme, "resource": resource, "rows": rows}
    return render(request, "coding/quote_review.html", context, status=400 if bound else 200)


@programme_view(Action.CODE)
def quote_queue(request: HttpRequest, programme: Programme) -> HttpResponse:
    """Every quotation found and not yet decided on, or those of `?resource=`."""
    value = request.GET.get("resource")
    return _page(request, programme, _resource(request, programme, value) if value else None)


def _review(
    request: HttpRequest, programme: Programme, pk: int
) -> tuple[Resource, QuoteReview | None]:
    """The candidate the form was about, still proposed; None when it no longer is."""
    version = params.object_or_404(
        ResourceVersion.objects.select_related("resource"), pk, resource__programme=programme
    )
    resource = _resource(request, programme, version.resource_id)
    start = params.parse_id(request.POST.get("start"))
    found = [
        r
        for r in quote_reviews(programme, request.user, resource)
        if r.version.pk == version.pk and r.candidate.start == start
    ]
    return resource, (found[0] if found else None)


def _back(request: HttpRequest, programme: Programme, resource: Resource) -> HttpResponse:
    url = reverse("coding:quote_queue", args=[programme.slug])
    return redirect(f"{url}?resource={resource.pk}" if request.POST.get("scope") else url)


def _gone(request: HttpRequest, programme: Programme, resource: Resource) -> HttpResponse:
    messages.info(request, _("This quotation is no longer proposed: it was decided on already."))
    return _back(request, programme, resource)


@require_POST
@programme_view(Action.CODE)
def quote_confirm(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    resource, review = _review(request, programme, pk)
    if review is None:
        return _gone(request, programme, resource)
    form = QuoteConfirmForm(request.POST, prefix=review.key, programme=programme)
    if form.is_valid():
        try:
            services.quote_confirm(
                version=review.version,
                start=review.candidate.start,
                end=review.candidate.end,
                coder=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Quote kept."))
            return _back(request, programme, resource)
    return _page(request, programme, resource if request.POST.get("scope") else None, form)


@require_POST
@programme_view(Action.CODE)
def quote_dismiss(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    resource, review = _review(request, programme, pk)
    if review is None:
        return _gone(request, programme, resource)
    services.quote_dismiss(resource=resource, text=review.candidate.text, user=request.user)
    messages.success(request, _("Quotation dismissed: it will not be proposed again."))
    return _back(request, programme, resource)
