from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from recolte.pickers import use_pickers
from recolte.registry.choices import organisation_choices, scope_choices
from recolte.registry.models import (
    ORGANISATION_FIELDS,
    Axis,
    Organisation,
    Partnership,
    Person,
    PilotOperation,
    Programme,
)


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "name",
            "acronym",
            "slug",
            "start_year",
            "end_year",
            "budget",
            "currency",
            "summary",
            "funders",
            "capitalised_by",
            "is_published",
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("The last year cannot come before the first year."))
        return data


class ProgrammeScopedForm(forms.ModelForm):
    """A form whose choices are limited to one programme's organisations and axes."""

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        scope_choices(self, programme)
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and queryset.model is Axis:
                field.queryset = programme.axes.all()
        use_pickers(self)

    def _unique_in_programme(self, name: str, message: str):
        value = self.cleaned_data.get(name)
        model = self._meta.model
        if (
            value
            and model.objects.filter(programme=self.programme, **{name: value})
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            raise forms.ValidationError(message)
        return value


class AxisForm(ProgrammeScopedForm):
    class Meta:
        model = Axis
        fields = ["kind", "number", "title", "description"]

    def clean(self):
        data = super().clean()
        taken = Axis.objects.filter(
            programme=self.programme, kind=data.get("kind"), number=data.get("number")
        ).exclude(pk=self.instance.pk)
        if taken.exists():
            self.add_error("number", _("This number is already used by another axis of this kind."))
        return data


class OrganisationForm(ProgrammeScopedForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [spec.name for spec in ORGANISATION_FIELDS]

    def clean_name(self):
        return self._unique_in_programme(
            "name", _("An organisation with this name already exists.")
        )

    def clean_acronym(self):
        return self._unique_in_programme(
            "acronym", _("Another organisation of this programme uses this acronym.")
        )


class PersonForm(ProgrammeScopedForm):
    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "organisation",
            "role",
            "email",
            "quote_consent",
            "consent_date",
            "consent_source",
        ]
        widgets = {"consent_date": forms.DateInput(attrs={"type": "date"})}


class PilotOperationForm(ProgrammeScopedForm):
    class Meta:
        model = PilotOperation
        fields = [
            "title",
            "code",
            "lead",
            "summary",
            "shared_stake",
            "countries",
            "territories",
            "axes",
            "start_year",
            "end_year",
            "is_published",
        ]
        widgets = {"countries": forms.SelectMultiple(attrs={"size": 10})}

    def clean_code(self):
        return self._unique_in_programme("code", _("Another pilot operation uses this code."))


class PartnershipForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = ["organisation", "role"]

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisation_choices(programme)
        use_pickers(self)


class PartnershipRows(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Each row sits under the table's headers, without <label>s: name its fields.
        for field in form.fields.values():
            field.widget.attrs.setdefault("aria-label", field.label)


PartnershipFormSet = inlineformset_factory(
    PilotOperation,
    Partnership,
    form=PartnershipForm,
    formset=PartnershipRows,
    extra=1,
    can_delete=True,
)
