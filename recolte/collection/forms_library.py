"""Forms of the library, the records and the e-mail import; a record's form shows the fields
its instrument's spec lists (`instruments.SPECS`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from recolte.collection.instruments import RECORD_INSTRUMENTS, Instrument, recorded
from recolte.collection.models import Campaign, Confidentiality, Record, Resource
from recolte.collection.services.records import VIDEO_EXTENSIONS, video_resource
from recolte.pickers import use_pickers
from recolte.registry.choices import scope_choices
from recolte.registry.models import PilotOperation, Programme


def scope_to(form: forms.BaseForm, programme: Programme) -> None:
    """Limit every choice of organisations, people, pilots and campaigns to one programme."""
    scope_choices(form, programme)
    scoped = {
        PilotOperation: PilotOperation.objects.filter(programme=programme),
        Campaign: Campaign.objects.filter(programme=programme),
    }
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and queryset.model in scoped:
            field.queryset = scoped[queryset.model]
    use_pickers(form)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    default_error_messages = {"required": _("Choose at least one file.")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        # A form sent with no file reads as an empty list, which FileField would let through.
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


PROVENANCE = [
    "kind",
    "instrument",
    "campaign",
    "organisations",
    "pilot",
    "people",
    "date",
    "language",
    "confidentiality",
]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ResourceMetaForm(forms.ModelForm):
    """Provenance of a resource; its text is changed only through a new version."""

    class Meta:
        model = Resource
        fields = ["title", *PROVENANCE]
        widgets = {"date": DATE_INPUT}

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        scope_to(self, programme)


class UploadForm(ResourceMetaForm):
    # Empty files reach extraction, which explains the refusal file by file.
    files = MultipleFileField(
        label=_("Files"),
        allow_empty_file=True,
        help_text=_("DOCX, PDF, ODT, TXT, Markdown, HTML, SRT, VTT, EML or MBOX; several at once."),
    )

    class Meta(ResourceMetaForm.Meta):
        fields = ["files", "title", *PROVENANCE]
        help_texts = {"title": _("Leave empty to use each document's own title.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False


class TextEditForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 24}))


class BoxForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(label=_("Text of the boxed example"), widget=forms.Textarea)


class RecordForm(forms.ModelForm):
    """One form for every instrument; `__init__` keeps the fields that instrument uses."""

    link = forms.URLField(label=_("Link to the video"), required=False, assume_scheme="https")
    content_file = forms.FileField(required=False)
    content_text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 10}))
    video_file = forms.FileField(
        label=_("Video or audio file"),
        required=False,
        help_text=", ".join(VIDEO_EXTENSIONS),
    )

    class Meta:
        model = Record
        fields = sorted({name for i in RECORD_INSTRUMENTS for name in recorded(i).fields})
        widgets = {"date": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, programme: Programme, instrument: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.instance.instrument = instrument
        scope_to(self, programme)
        spec = recorded(instrument)
        keep = [*spec.fields, "content_file", "content_text"]
        if instrument == Instrument.VIDEO:
            keep.append("video_file")
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.order_fields(keep)
        self.fields["people"].label = spec.people_label
        what = spec.content_label
        self.fields["content_file"].label = _("File of the %(what)s") % {"what": what}
        self.fields["content_text"].label = _("Or the %(what)s as text") % {"what": what}
        if instrument == Instrument.VIDEO:
            self.fields["content_file"].help_text = _("SRT or WebVTT subtitles keep the timings.")

    def clean(self):
        data = super().clean()
        if data.get("content_file") and data.get("content_text", "").strip():
            self.add_error("content_text", _("Give either a file or a text, not both."))
        if (
            self.instance.instrument == Instrument.VIDEO
            and not data.get("link")
            and not data.get("video_file")
            and not (self.instance.pk and video_resource(self.instance))
        ):
            self.add_error("link", _("Give a link to the video or upload its file."))
        return data


class MailImportForm(forms.Form):
    files = MultipleFileField(label=_("E-mail files (.eml or .mbox)"))
    campaign = forms.ModelChoiceField(
        Campaign.objects.none(),
        label=_("Campaign answered"),
        required=False,
        help_text=_("Matched messages count as the organisation's response to this campaign."),
    )
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"),
        choices=Confidentiality.choices,
        initial=Confidentiality.PROGRAMME,
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        scope_to(self, programme)

    def clean_files(self):
        files = self.cleaned_data["files"]
        wrong = [f.name for f in files if not f.name.lower().endswith((".eml", ".mbox"))]
        if wrong:
            raise forms.ValidationError(
                _("Only .eml and .mbox files here: %(names)s.") % {"names": ", ".join(wrong)}
            )
        return files
