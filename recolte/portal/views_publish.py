"""Staff pages that put material on the public portal or withdraw it (Action.PUBLISH)."""

from django.contrib import messages
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from recolte.access.decorators import programme_view
from recolte.access.policy import Action
from recolte.portal.models import PublicationEvent
from recolte.portal.publication import Publishable, find_or_404
from recolte.registry.models import Programme
from recolte.synthesis.models import CampaignSynthesis, Report
from recolte.synthesis.publication import PUBLISHING_LATER, NothingToPublish


@require_POST
@programme_view(Action.PUBLISH)
def publish(request: HttpRequest, programme: Programme, kind: str, pk: int) -> HttpResponse:
    publishable, obj = find_or_404(programme, kind, pk)
    if request.POST.get("verb") == "publish":
        try:
            publishable.publish(obj, by=request.user)
        except NothingToPublish as refused:
            messages.error(request, str(refused))
        else:
            _tell_published(request, publishable, obj)
    else:
        publishable.unpublish(obj, by=request.user)
        messages.success(request, _("Withdrawn from the public portal."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("portal:publication", args=[programme.slug])
    return HttpResponseRedirect(back)  # redirect() would read "0" as a view name


def _tell_published(request: HttpRequest, publishable: Publishable, obj: Model) -> None:
    if publishable.pending(obj):  # a report: its files render in a task
        messages.info(request, PUBLISHING_LATER)
        return
    messages.success(request, _("Published on the public portal."))
    left_out = publishable.left_out(obj)
    if left_out:
        message = _("Left out of the public page: %(items)s") % {"items": "; ".join(left_out)}
        messages.warning(request, message)


@programme_view(Action.PUBLISH)
def publication(request: HttpRequest, programme: Programme) -> HttpResponse:
    """Everything that can be published in the programme, with its state and its button."""
    context = {
        "programme": programme,
        "pilots": programme.pilot_operations.select_related("lead"),
        "resources": programme.resources.filter(confidentiality="published"),
        "syntheses": CampaignSynthesis.objects.filter(campaign__programme=programme)
        .select_related("campaign")
        .order_by("campaign__title"),
        "reports": programme.reports.filter(status=Report.Status.DONE),
        "events": PublicationEvent.objects.filter(programme=programme).select_related("by")[:30],
    }
    return render(request, "portal/publication.html", context)
