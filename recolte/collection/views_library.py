"""Pages of the resource library, the records of other instruments and the e-mail import.

Reading goes through `library.visible_resources` / `visible_records` (the confidentiality
rule); writing needs RUN_CAMPAIGNS.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from recolte.access import audit
from recolte.access.decorators import programme_view
from recolte.access.policy import Action, can
from recolte.collection import library, records
from recolte.collection.forms_library import (
    BoxForm,
    MailImportForm,
    RecordForm,
    ResourceMetaForm,
    TextEditForm,
    UploadForm,
)
from recolte.collection.importing import assign_pending
from recolte.collection.ingest import IngestError
from recolte.collection.models import (
    Instrument,
    PendingMail,
    Record,
    Resource,
    ResourceVersion,
    Upload,
)
from recolte.collection.services import ResourceMeta, resource_new_version
from recolte.collection.tasks import upload_start
from recolte.collection.uploads import recent_uploads, upload_outcomes
from recolte.registry import params
from recolte.registry.models import Programme

PAGE_SIZE = 50
UPLOADS_SHOWN = 50
FACET_LABELS = {
    "instrument": _lazy("Instrument"),
    "kind": _lazy("Kind"),
    "campaign": _lazy("Campaign"),
    "organisation": _lazy("Organisation"),
    "pilot": _lazy("Pilot operation"),
    "language": _lazy("Language"),
    "confidentiality": _lazy("Confidentiality"),
}


def _uploaded(file) -> tuple[str, bytes]:
    return file.name, file.read()


# Library ------------------------------------------------------------------------------------


@programme_view()
def library_view(request: HttpRequest, programme: Programme) -> HttpResponse:
    filters = library.LibraryFilters.from_query(request.GET)
    resources = library.library_resources(request.user, programme, filters)
    page = Paginator(resources, PAGE_SIZE).get_page(request.GET.get("page"))
    facets = library.facet_counts(request.user, programme, filters)
    query = filters.as_query()
    undated = {k: v for k, v in query.items() if k not in ("date_from", "date_to")}
    htmx = bool(request.headers.get("HX-Request"))
    context = {
        "programme": programme,
        "filters": filters,
        "facets": facets,
        "facet_selects": [
            (name, label, facets[name], getattr(filters, name))
            for name, label in FACET_LABELS.items()
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
    visible = library.visible_resources(request.user, programme)
    return get_object_or_404(visible.select_related("campaign", "pilot", "record"), pk=pk)


def _version(resource: Resource, number: str | None) -> ResourceVersion:
    versions = resource.versions.all()
    number = params.parse_id(number)
    version = (versions.filter(number=number) if number else versions.order_by("-number")).first()
    if version is None:
        raise Http404
    return version


def _timestamp(ms: int) -> str:
    seconds = ms // 1000
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def text_blocks(version: ResourceVersion) -> list[dict]:
    """The text cut for display: one block per cue (with its time) or per paragraph."""
    cues = version.extra.get("cues") or []
    if cues:
        return [
            {"time": _timestamp(start_ms), "speaker": speaker, "text": version.text[start:end]}
            for start_ms, _end_ms, speaker, start, end in cues
        ]
    return [{"text": block} for block in version.text.split("\n\n") if block.strip()]


@programme_view()
def resource_view(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    resource = _visible_resource(request, programme, pk)
    version = _version(resource, request.GET.get("version"))
    context = {
        "programme": programme,
        "resource": resource,
        "version": version,
        "blocks": text_blocks(version),
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
        meta = ResourceMeta(
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
            outcome = upload_outcomes(upload)[0]
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
                form.add_error("files", f"{name}: {outcome.reason}")
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
    recent = recent_uploads(
        programme=programme, purposes=[Upload.Purpose.LIBRARY, Upload.Purpose.MAIL]
    )[:UPLOADS_SHOWN]
    context = {
        "programme": programme,
        "uploads": [(upload, upload_outcomes(upload)) for upload in recent],
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
        form.save()
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
        version = resource_new_version(
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


# Records ------------------------------------------------------------------------------------


def _instrument(value: str) -> str:
    if value not in records.RECORD_INSTRUMENTS:
        raise Http404
    return value


@programme_view()
def records_view(request: HttpRequest, programme: Programme) -> HttpResponse:
    instrument = request.GET.get("instrument", "")
    found = library.visible_records(request.user, programme).prefetch_related("organisations")
    if instrument in records.RECORD_INSTRUMENTS:
        found = found.filter(instrument=instrument)
    context = {
        "programme": programme,
        "records": found,
        "instrument": instrument,
        "instruments": [(i, Instrument(i).label) for i in records.RECORD_INSTRUMENTS],
        "can_edit": can(request.user, Action.RUN_CAMPAIGNS, programme),
    }
    return render(request, "collection/records.html", context)


@programme_view()
def record_view(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    record = get_object_or_404(library.visible_records(request.user, programme), pk=pk)
    visible = set(library.visible_resources(request.user, programme).values_list("pk", flat=True))
    texts = {
        group: [r for r in items if r.pk in visible]
        for group, items in records.record_texts(record).items()
    }
    main = texts["main"][0] if texts["main"] else None
    version = main.current if main else None
    context = {
        "programme": programme,
        "record": record,
        "texts": texts,
        "main": main,
        "blocks": text_blocks(version) if version else [],
        "can_edit": can(request.user, Action.RUN_CAMPAIGNS, programme),
    }
    audit.record_view(user=request.user, target=record, request=request)
    return render(request, "collection/record.html", context)


def _record_form(request, programme, record: Record, instrument: str) -> HttpResponse:
    form = RecordForm(
        request.POST or None,
        request.FILES or None,
        instance=record,
        programme=programme,
        instrument=instrument,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("content_file")
        video = data.get("video_file")
        try:
            saved = records.record_save(
                record=form.save(commit=False),
                organisations=list(data["organisations"]),
                people=list(data["people"]),
                by=request.user,
                content=records.RecordText(
                    text=data.get("content_text", ""), upload=_uploaded(upload) if upload else None
                ),
                video=_uploaded(video) if video else None,
            )
        except IngestError as error:
            field = "video_file" if video and error.code == "unsupported" else "content_file"
            form.add_error(field, error.message)
        else:
            if "confidentiality" in form.changed_data:
                audit.record(
                    user=request.user, verb=audit.Verb.CHANGE, target=saved, request=request
                )
            messages.success(request, _("Record saved."))
            return redirect(saved)
    context = {
        "programme": programme,
        "form": form,
        "record": record if record.pk else None,
        "instrument_label": Instrument(instrument).label,
    }
    return render(request, "collection/record_form.html", context)


@programme_view(Action.RUN_CAMPAIGNS)
def record_create(request: HttpRequest, programme: Programme) -> HttpResponse:
    instrument = _instrument(request.GET.get("instrument", Instrument.INTERVIEW))
    return _record_form(request, programme, Record(), instrument)


@programme_view(Action.RUN_CAMPAIGNS)
def record_edit(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    record = get_object_or_404(Record, programme=programme, pk=pk)
    return _record_form(request, programme, record, record.instrument)


@programme_view(Action.RUN_CAMPAIGNS)
def box_create(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    record = get_object_or_404(
        Record, programme=programme, pk=pk, instrument=Instrument.SITE_MEETING
    )
    form = BoxForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        records.box_create(record=record, by=request.user, **form.cleaned_data)
        messages.success(request, _("Boxed example added."))
        return redirect(record)
    context = {
        "programme": programme,
        "form": form,
        "record": record,
        "heading": _("New boxed example"),
    }
    return render(request, "collection/record_box_form.html", context)


# E-mail import ------------------------------------------------------------------------------


@programme_view(Action.RUN_CAMPAIGNS)
def mail_import(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = MailImportForm(request.POST or None, request.FILES or None, programme=programme)
    outcomes = []
    if request.method == "POST" and form.is_valid():
        campaign = form.cleaned_data["campaign"]
        meta = ResourceMeta(
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
            outcomes += upload_outcomes(upload)
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
        pending.delete()
        messages.info(request, _("Message discarded."))
    else:
        organisation = params.object_or_404(
            programme.organisations.all(), request.POST.get("organisation")
        )
        outcomes = assign_pending(pending, organisation, by=request.user)
        if outcomes[0].status == "failed":
            messages.error(request, outcomes[0].reason)
        else:
            messages.success(
                request, _("Message stored for %(org)s.") % {"org": organisation.label}
            )
    return redirect("collection:mail_review", programme.slug)
