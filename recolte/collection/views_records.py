"""Pages of the records of interviews, on-site meetings, workshops, seminars and videos.

Reading goes through `selectors.visible_records` (the confidentiality rule); writing needs
RUN_CAMPAIGNS and goes through `services`. What each instrument's form and page show comes from
its spec (`instruments.SPECS`).
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from recolte.access import audit
from recolte.access.decorators import programme_view
from recolte.access.policy import Action, can
from recolte.collection import selectors, services
from recolte.collection.forms_library import BoxForm, RecordForm
from recolte.collection.ingest import IngestError
from recolte.collection.instruments import RECORD_INSTRUMENTS, Instrument, recorded
from recolte.collection.models import Record, Upload
from recolte.collection.tasks import reads_inline, upload_start
from recolte.registry.models import Programme


def _uploaded(file) -> tuple[str, bytes]:
    return file.name, file.read()


def _instrument(value: str) -> str:
    if value not in RECORD_INSTRUMENTS:
        raise Http404
    return value


@programme_view()
def records_view(request: HttpRequest, programme: Programme) -> HttpResponse:
    instrument = request.GET.get("instrument", "")
    found = selectors.visible_records(request.user, programme).prefetch_related("organisations")
    if instrument in RECORD_INSTRUMENTS:
        found = found.filter(instrument=instrument)
    context = {
        "programme": programme,
        "records": found,
        "instrument": instrument,
        "instruments": [(i, Instrument(i).label) for i in RECORD_INSTRUMENTS],
        "can_edit": can(request.user, Action.RUN_CAMPAIGNS, programme),
    }
    return render(request, "collection/records.html", context)


@programme_view()
def record_view(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    record = get_object_or_404(selectors.visible_records(request.user, programme), pk=pk)
    visible = set(selectors.visible_resources(request.user, programme).values_list("pk", flat=True))
    texts = {
        group: [r for r in items if r.pk in visible]
        for group, items in selectors.record_texts(record).items()
    }
    main = texts["main"][0] if texts["main"] else None
    version = main.current if main else None
    context = {
        "programme": programme,
        "record": record,
        "texts": texts,
        "main": main,
        "blocks": selectors.text_blocks(version) if version else [],
        "spec": recorded(record.instrument),
        "can_edit": can(request.user, Action.RUN_CAMPAIGNS, programme),
        "reading": selectors.record_upload(record),
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
        # A large transcript is read by a task once the record is saved; its page shows the
        # reading. A small one is read now, so a bad file stores nothing.
        later = upload if upload and not reads_inline(upload) else None
        upload = None if later else upload
        video = data.get("video_file")
        try:
            saved = services.record_save(
                record=form.save(commit=False),
                organisations=list(data["organisations"]),
                people=list(data["people"]),
                by=request.user,
                content=services.RecordText(
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
            if later:
                messages.success(request, _("Record saved; its file is being read."))
                upload_start(
                    programme=programme,
                    purpose=Upload.Purpose.RECORD,
                    file=later,
                    record=saved,
                    by=request.user,
                )
            else:
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
    with_boxes = [i for i in RECORD_INSTRUMENTS if recorded(i).boxes]
    record = get_object_or_404(Record, programme=programme, pk=pk, instrument__in=with_boxes)
    form = BoxForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.box_create(record=record, by=request.user, **form.cleaned_data)
        messages.success(request, _("Boxed example added."))
        return redirect(record)
    context = {
        "programme": programme,
        "form": form,
        "record": record,
        "heading": _("New boxed example"),
    }
    return render(request, "collection/record_box_form.html", context)
