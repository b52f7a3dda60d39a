"""Forms of the campaign pages; choices are always limited to the programme at hand."""

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from recolte.collection.answer_types import CONDITION_TYPES, option_values
from recolte.collection.instruments import campaign_choices
from recolte.collection.models import Campaign, Question
from recolte.pickers import use_pickers
from recolte.registry.choices import scope_choices
from recolte.registry.models import Axis, Organisation, Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "title",
            "instrument",
            "introduction",
            "axes",
            "audience",
            "chosen_organisations",
            "chosen_people",
            "opens_on",
            "closes_on",
            "reminder_days",
        ]
        widgets = {
            "opens_on": DATE,
            "closes_on": DATE,
            "introduction": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, programme, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Recorded instruments (interviews, meetings…) are kept as records, never campaigns.
        self.fields["instrument"].choices = [("", "---------"), *campaign_choices()]
        self.fields["axes"].queryset = Axis.objects.filter(programme=programme)
        scope_choices(self, programme)
        use_pickers(self)

    def clean_reminder_days(self) -> str:
        value = self.cleaned_data["reminder_days"].strip()
        if value and not re.fullmatch(r"\d+(\s*,\s*\d+)*", value):
            raise ValidationError(_("Write numbers of days separated by commas, e.g. 7,2."))
        return value

    def clean(self) -> dict:
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The closing date comes before the opening date."))
        chosen = data.get("chosen_organisations") or data.get("chosen_people")
        if data.get("audience") == Campaign.Audience.CHOSEN and not chosen:
            self.add_error("chosen_organisations", _("Choose at least one organisation or person."))
        return data


class QuestionForm(forms.ModelForm):
    """A question; its condition is picked as answers of one earlier choice-like question,
    offered as "question id:value" grouped by question."""

    condition = forms.MultipleChoiceField(
        label=_("Show this question only if the answer is"),
        required=False,
        help_text=_("Leave empty to always show it. Choose answers of one earlier question."),
    )

    class Meta:
        model = Question
        fields = [
            "text_fr",
            "text_en",
            "text_es",
            "help_text",
            "required",
            "answer_type",
            "choices",
            "minimum",
            "maximum",
            "scale_low",
            "scale_high",
        ]
        widgets = {
            "text_fr": forms.Textarea(attrs={"rows": 2}),
            "text_en": forms.Textarea(attrs={"rows": 2}),
            "text_es": forms.Textarea(attrs={"rows": 2}),
            "help_text": forms.Textarea(attrs={"rows": 2}),
            "choices": forms.Textarea(attrs={"rows": 3}),
            "minimum": forms.NumberInput(attrs={"step": "any"}),
            "maximum": forms.NumberInput(attrs={"step": "any"}),
        }
        help_texts = {
            "choices": _("One per line (choice and multiple choice)."),
            "minimum": _("For a number (optional) or the lowest point of a scale (1 if empty)."),
            "maximum": _("For a number (optional) or the highest point of a scale (5 if empty)."),
        }

    def __init__(self, *args, campaign: Campaign, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        earlier = campaign.questions.filter(answer_type__in=CONDITION_TYPES)
        if self.instance.pk:
            earlier = earlier.filter(order__lt=self.instance.order)
        self.conditions = {q.pk: q for q in earlier}
        numbers = {q.pk: n for n, q in enumerate(campaign.questions.all(), start=1)}
        self.fields["condition"].choices = [
            (
                f"{numbers[q.pk]}. {q.text_fr[:70]}",
                [(f"{q.pk}:{value}", label) for value, label in option_values(q)],
            )
            for q in self.conditions.values()
        ]
        self.fields["condition"].widget.attrs["size"] = 6
        if self.instance.show_if_id:
            self.initial["condition"] = [
                f"{self.instance.show_if_id}:{value}" for value in self.instance.show_if_list()
            ]

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("answer_type")
        if kind in (Question.AnswerType.CHOICE, Question.AnswerType.MULTIPLE) and not (
            (data.get("choices") or "").strip()
        ):
            self.add_error("choices", _("List the choices, one per line."))
        picked = [value.split(":", 1) for value in data.pop("condition", [])]
        ids = {pk for pk, _value in picked}
        if len(ids) > 1:
            self.add_error("condition", _("Choose answers of one question only."))
        data["show_if"] = self.conditions.get(int(ids.pop())) if len(ids) == 1 else None
        data["show_if_values"] = "\n".join(value for _pk, value in picked)
        return data


class InvitationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("organisation")
    )
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, label=_("person")
    )
    email = forms.EmailField(label=_("e-mail"), required=False)
    language = forms.ChoiceField(
        label=_("language of the e-mails and the answering page"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        required=False,  # none: the programme's default language
    )

    def __init__(self, *args, programme, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        scope_choices(self, programme)
        use_pickers(self)

    def clean(self) -> dict:
        data = super().clean()
        person, org = data.get("person"), data.get("organisation")
        if person and org and person.organisation_id != org.pk:
            self.add_error("person", _("This person belongs to another organisation."))
        if not data.get("email"):
            if person and person.email:
                data["email"] = person.email
            else:
                self.add_error("email", _("Give an e-mail address."))
        return data


class UploadForm(forms.Form):
    file = forms.FileField(label=_("file"))
