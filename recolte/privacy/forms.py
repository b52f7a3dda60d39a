from django import forms

from recolte.privacy.models import Retention


class RetentionForm(forms.ModelForm):
    """Months to keep original files; the model's validators bound them, empty keeps for good."""

    class Meta:
        model = Retention
        fields = ["originals_months", "transcripts_months"]
