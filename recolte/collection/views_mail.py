"""Pages of the e-mail import: upload .eml/.mbox files, then review the messages no sender
matched (assign each to an organisation, or discard it). Everything here needs RUN_CAMPAIGNS.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from recolte.access.decorators import programme_view
from recolte.access.policy import Action
from recolte.collection import services
from recolte.collection.forms_library import MailImportForm
from recolte.collection.models import PendingMail, Upload
from recolte.collection.tasks import upload_start
from recolte.registry import params
from recolte.registry.models import Programme

PAGE_SIZE = 50


@programme_view(Action.RUN_CAMPAIGNS)
def mail_import(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = MailImportForm(request.POST or None, request.FILES or None, programme=programme)
    outcomes = []
    if request.method == "POST" and form.is_valid():
        campaign = form.cleaned_data["campaign"]
        meta = services.ResourceMeta(
            campaign_id=campaign.pk if campaign else None,
            confidentiality=form.cleaned_data["confidentiality"],
        )
        reading = False
        for file in form.cleaned_data["files"]:
            upload = upload_start(
                programme=programme,
                purpose=Upload.Purpose.MAIL,
                file=file,
                meta=meta,
                by=request.user,
            )
            reading = reading or upload.status == Upload.Status.PENDING
            outcomes += services.upload_outcomes(upload)
        if reading:
            return redirect("collection:uploads", programme.slug)
    context = {
        "programme": programme,
        "form": form,
        "outcomes": outcomes,
        "pending": PendingMail.objects.filter(programme=programme).count(),
    }
    return render(request, "collection/mail_import.html", context)


@programme_view(Action.RUN_CAMPAIGNS)
def mail_review(request: HttpRequest, programme: Programme) -> HttpResponse:
    # A big .mbox leaves thousands of messages, each with its own organisation menu.
    pending = (
        PendingMail.objects.filter(programme=programme).select_related("campaign").defer("raw")
    )
    context = {
        "programme": programme,
        "page": Paginator(pending, PAGE_SIZE).get_page(request.GET.get("page")),
        "organisations": programme.organisations.order_by("name"),
    }
    return render(request, "collection/mail_review.html", context)


@require_POST
@programme_view(Action.RUN_CAMPAIGNS)
def mail_decide(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    pending = get_object_or_404(PendingMail, programme=programme, pk=pk)
    if request.POST.get("action") == "discard":
        services.pending_mail_discard(pending=pending)
        messages.info(request, _("Message discarded."))
    else:
        organisation = params.object_or_404(
            programme.organisations.all(), request.POST.get("organisation")
        )
        outcomes = services.pending_mail_assign(
            pending=pending, organisation=organisation, by=request.user
        )
        if outcomes[0].status == "failed":
            messages.error(request, outcomes[0].reason)
        else:
            messages.success(
                request, _("Message stored for %(org)s.") % {"org": organisation.label}
            )
    return redirect("collection:mail_review", programme.slug)
