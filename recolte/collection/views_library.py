"""Pages of the resource library: the list with its filter counts, a resource, its original,
uploading files (read now or in the background) and editing a description or a text.

Reading goes through `selectors.visible_resources` (the confidentiality rule); writing needs
RUN_CAMPAIGNS and goes through `services`.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from recolte.access import audit
from recolte.access.decorators import programme_view
from recolte.access.policy import Action, can
from recolte.collection import selectors, services
from recolte.collection.forms_library import ResourceMetaForm, TextEditForm, UploadForm
from recolte.collection.models import Resource, ResourceVersion, Upload
from recolte.collection.tasks import upload_start
from recolte.l10n import colon
from recolte.registry import params
from recolte.registry.models import Programme

PAGE_SIZE = 50
UPLOADS_SHOWN = 50
FILTER_LABELS = {
    "instrument": gettext_lazy("Instrument"),
    "kind": gettext_lazy("Kind"),
    "campaign": gettext_lazy("Campaign"),
    "organisation": gettext_lazy("Organisation"),
    "pilot": gettext_lazy("Pilot operation"),
    "language": gettext_lazy("Language"),
    "confidentiality": gettext_lazy("Confidentiality"),
}


@programme_view()
def library_view(request: HttpRequest, programme: Programme) -> HttpResponse:
    filters = selectors.LibraryFilters.from_query(request.GET)
    resources = selectors.library_resources(request.user, programme, filters)
    page = Paginator(resources, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.filter_counts(request.user, programme, filters)
    query = filters.as_query()
    undated = {k: v for k, v in query.items() if k not in ("date_from", "date_to")}
    htmx = bool(request.headers.get("HX-Request"))
    context = {
        "programme": programme,
        "filters": filters,
        "filter_counts": counts,
        "filter_selects": [
            (name, label, counts[name], getattr(filters, name))
            for name, label in FILTER_LABELS.items()
        ],
        "page": page,
        "query": urlencode(query),
        "query_without_dates": urlencode(undated),
        "oob": htmx,
        "can_edit": can(request.user, Action.RUN_CAMPAIGNS, programme),
    }
    template = "collection/library_results.html" if htmx else "collection/library.html"
    return render(request, template, context)


def _visible_resource(request: HttpRequest, programme: Programme, pk: int) -> Resource:
    visible = selectors.visible_resources(request.user, programme)
    return get_object_or_404(visible.select_related("campaign", "pilot", "record"), pk=pk)


def _version(resource: Resource, number: str | None) -> ResourceVersion:
    versions = resource.versions.all()
    number = params.parse_id(number)
    version = (versions.filter(number=number) if number else versions.order_by("-number")).first()
    if version is None:
        raise Http404
    return version


@programme_view()
def resource_view(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    resource = _visible_resource(request, programme, pk)
    version = _version(resource, request.GET.get("version"))
    context = {
        "programme": programme,
        "resource": resource,
        "version": version,
        "blocks": selectors.text_blocks(version),
        "notes": version.extra.get("notes") or [],
        "warnings": version.extra.get("warnings") or [],
        "versions": resource.versions.select_related("created_by").order_by("-number"),
        "organisations": resource.organisations.all(),
        "people": resource.people.all(),
        "can_edit": can(request.user, Action.RUN_CAMPAIGNS, programme),
    }
    audit.record_view(user=request.user, target=resource, request=request)
    return render(request, "collection/resource.html", context)


@programme_view()
def resource_original(request: HttpRequest, programme: Programme, pk: int) -> FileResponse:
    resource = _visible_resource(request, programme, pk)
    version = _version(resource, request.GET.get("version"))
    if not version.original:
        raise Http404
    audit.record(user=request.user, verb=audit.Verb.VIEW, target=version, request=request)
    # Always a download: an HTML or SVG original must never render inside the application.
    return FileResponse(
        version.original.open("rb"),
        as_attachment=True,
        filename=version.original_name or f"resource-{resource.pk}",
        content_type="application/octet-stream",
    )


@programme_view(Action.RUN_CAMPAIGNS)
def resource_upload(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        files = data["files"]
        meta = services.ResourceMeta(
            title=data["title"] if len(files) == 1 else "",
            kind=data["kind"],
            instrument=data["instrument"],
            campaign_id=data["campaign"].pk if data["campaign"] else None,
            pilot_id=data["pilot"].pk if data["pilot"] else None,
            organisations=list(data["organisations"]),
            people=list(data["people"]),
            date=data["date"],
            language=data["language"],
            confidentiality=data["confidentiality"],
        )
        stored, reading = [], False
        for file in files:
            upload = upload_start(
                programme=programme,
                purpose=Upload.Purpose.LIBRARY,
                file=file,
                meta=meta,
                by=request.user,
            )
            name = upload.filename
            if upload.status == Upload.Status.PENDING:
                reading = True
                messages.info(request, _("%(name)s: being read.") % {"name": name})
                continue
            outcome = services.upload_outcomes(upload)[0]
            if outcome.status == "imported":
                stored.append(outcome.resource)
                messages.success(request, _("%(name)s: stored.") % {"name": name})
            elif outcome.status == "duplicate":
                messages.info(
                    request,
                    _("%(name)s: already in the library as “%(title)s”; skipped.")
                    % {"name": name, "title": outcome.resource.title},
                )
            else:
                form.add_error("files", f"{name}{colon()} {outcome.reason}")
        if not form.errors:
            if reading:
                return redirect("collection:uploads", programme.slug)
            target = stored[0] if len(stored) == 1 else None
            return redirect(target or reverse("collection:library", args=[programme.slug]))
    return render(
        request, "collection/resource_upload.html", {"programme": programme, "form": form}
    )


@programme_view(Action.RUN_CAMPAIGNS)
def uploads_view(request: HttpRequest, programme: Programme) -> HttpResponse:
    """Files being read and lately read; the list polls itself while one is pending."""
    recent = selectors.recent_uploads(
        programme=programme, purposes=[Upload.Purpose.LIBRARY, Upload.Purpose.MAIL]
    )[:UPLOADS_SHOWN]
    context = {
        "programme": programme,
        "uploads": [(upload, services.upload_outcomes(upload)) for upload in recent],
        "poll": any(upload.status == Upload.Status.PENDING for upload in recent),
    }
    htmx = bool(request.headers.get("HX-Request"))
    return render(
        request, "collection/uploads_status.html" if htmx else "collection/uploads.html", context
    )


@programme_view(Action.RUN_CAMPAIGNS)
def resource_edit(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    resource = get_object_or_404(Resource, programme=programme, pk=pk)
    form = ResourceMetaForm(request.POST or None, instance=resource, programme=programme)
    if request.method == "POST" and form.is_valid():
        services.resource_describe(resource=resource, **form.cleaned_data)
        if "confidentiality" in form.changed_data:
            audit.record(
                user=request.user, verb=audit.Verb.CHANGE, target=resource, request=request
            )
        messages.success(request, _("Saved."))
        return redirect(resource)
    context = {
        "programme": programme,
        "form": form,
        "resource": resource,
        "heading": _("Edit the description"),
    }
    return render(request, "collection/resource_form.html", context)


@programme_view(Action.RUN_CAMPAIGNS)
def resource_text_edit(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    resource = get_object_or_404(Resource, programme=programme, pk=pk)
    current = resource.current
    form = TextEditForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        version = services.resource_new_version(
            resource=resource, text=form.cleaned_data["text"], by=request.user
        )
        if current and version.pk == current.pk:
            messages.info(request, _("The text is unchanged; no new version was made."))
        else:
            messages.success(request, _("Version %(n)s saved.") % {"n": version.number})
        return redirect(resource)
    context = {
        "programme": programme,
        "form": form,
        "resource": resource,
        "heading": _("Edit the text (makes a new version)"),
    }
    return render(request, "collection/resource_form.html", context)
