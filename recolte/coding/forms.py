"""Forms of the coding room."""

from django import forms
from django.utils.translation import gettext_lazy as _

from recolte.coding.models import Code, Consent, Quote
from recolte.coding.services.codebook import check_colour
from recolte.pickers import use_pickers
from recolte.registry.choices import scope_choices
from recolte.registry.models import Country, Programme


class CodeForm(forms.ModelForm):
    class Meta:
        model = Code
        fields = ["name", "kind", "description", "questions", "colour", "codable"]
        widgets = {
            "colour": forms.TextInput(attrs={"type": "color"}),
            "description": forms.Textarea(attrs={"rows": 2}),
            "questions": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_colour(self) -> str:
        colour = self.cleaned_data["colour"]
        check_colour(colour)
        return colour


class CodeAddForm(CodeForm):
    parent = forms.ModelChoiceField(queryset=Code.objects.none(), required=False, label=_("Under"))

    class Meta(CodeForm.Meta):
        fields = ["name", "kind", "description", "questions", "codable"]

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Code.objects.filter(programme=programme)
        self.order_fields(["parent", "name", "kind"])


class CodeChoiceForm(forms.Form):
    """Pick another code of the programme (a new parent, or a merge target)."""

    target = forms.ModelChoiceField(queryset=Code.objects.none(), required=False)

    def __init__(self, *args, programme: Programme, exclude: list[int] = (), **kwargs):
        super().__init__(*args, **kwargs)
        codes = Code.objects.filter(programme=programme).exclude(pk__in=exclude)
        self.fields["target"].queryset = codes


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Codebook (JSON)"))


class QuoteForm(forms.ModelForm):
    class Meta:
        model = Quote
        fields = ["person", "person_name", "organisation", "country", "anonymous", "consent"]

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        scope_choices(self, programme)
        self.fields["country"].queryset = Country.objects.all()
        self.fields["consent"].choices = Consent.choices
        use_pickers(self)


class MemoForm(forms.Form):
    # Pages show the box without its <label>, under their own heading.
    text = forms.CharField(
        label=_("Memo"), widget=forms.Textarea(attrs={"rows": 3, "aria-label": _("Memo")})
    )


class AssignForm(forms.Form):
    round = forms.CharField(label=_("Round"), max_length=80)
    resources = forms.ModelMultipleChoiceField(queryset=None, label=_("Resources"))
    coders = forms.ModelMultipleChoiceField(queryset=None, label=_("Coders (two)"))

    def __init__(self, *args, resources, coders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resources"].queryset = resources
        self.fields["coders"].queryset = coders

    def clean_coders(self):
        coders = self.cleaned_data["coders"]
        if len(coders) != 2:
            raise forms.ValidationError(_("Choose exactly two coders."))
        return coders


class QuoteConfirmForm(QuoteForm):
    """A quotation found in text, confirmed as a quote on a code the person chooses."""

    code = forms.ModelChoiceField(queryset=Code.objects.none(), label=_("Code"))

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, programme=programme, **kwargs)
        codes = Code.objects.filter(programme=programme, codable=True).order_by("order", "name")
        self.fields["code"].queryset = codes
        self.order_fields(["code"])
        use_pickers(self)
