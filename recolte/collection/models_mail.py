"""E-mail replies whose sender matched no organisation, held until a facilitator assigns them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from recolte.collection.models import Campaign, Confidentiality
from recolte.registry.models import Programme


class PendingMail(models.Model):
    """One message kept whole (raw bytes) so that assigning it stores exactly what arrived."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    instrument = models.CharField(max_length=20, blank=True)
    confidentiality = models.CharField(
        max_length=12, choices=Confidentiality.choices, default=Confidentiality.PROGRAMME
    )
    sender = models.CharField(_("sender"), max_length=300, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    sent = models.DateTimeField(_("sent"), null=True, blank=True)
    body = models.TextField(_("message"), blank=True)
    filename = models.CharField(max_length=255)
    raw = models.BinaryField()
    sha256 = models.CharField(max_length=64, db_index=True)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "sha256"], name="pendingmail_unique")
        ]
        verbose_name = _("unmatched e-mail")
        verbose_name_plural = _("unmatched e-mails")

    def __str__(self) -> str:
        return f"{self.sender} · {self.subject}"
