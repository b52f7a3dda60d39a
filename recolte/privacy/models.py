"""Personal-data settings of a programme."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from recolte.registry.models import Programme

# A hundred years: anything longer is "for good", which is the empty value.
MONTHS = [MinValueValidator(1), MaxValueValidator(1200)]


class Retention(models.Model):
    """How long original files are kept; the normalised text and the analysis stay."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="retention", verbose_name=_("programme")
    )
    originals_months = models.PositiveSmallIntegerField(
        _("months to keep original files"),
        null=True,
        blank=True,
        validators=MONTHS,
        help_text=_("Empty: kept for good."),
    )
    transcripts_months = models.PositiveSmallIntegerField(
        _("months to keep the original files of transcripts"),
        null=True,
        blank=True,
        validators=MONTHS,
        help_text=_("Recordings and transcripts; empty: as for other originals."),
    )

    class Meta:
        verbose_name = _("retention setting")
        verbose_name_plural = _("retention settings")

    def __str__(self) -> str:
        return f"{self.programme} · {self.originals_months} / {self.transcripts_months}"
