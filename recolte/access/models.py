"""Who may do what in a programme: one membership per user and programme, with one role."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from recolte.registry.models import Organisation, Programme


class Role(models.TextChoices):
    ADMIN = "admin", _("administrator")
    FACILITATOR = "facilitator", _("facilitator")
    TEAM = "team", _("programme team")
    CONTRIBUTOR = "contributor", _("contributor")
    READER = "reader", _("reader")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("organisation"),
        help_text=_("Required for contributors: the organisation they answer for."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "programme"], name="membership_unique")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.programme} · {self.get_role_display()}"

    def clean(self) -> None:
        if self.role == Role.CONTRIBUTOR and not self.organisation_id:
            raise ValidationError(
                {"organisation": _("A contributor answers for one organisation.")}
            )
        if self.organisation_id and self.organisation.programme_id != self.programme_id:
            raise ValidationError({"organisation": _("This organisation is not in the programme.")})


class LoginAttempt(models.Model):
    """Failed logins, kept in the database so the rate limit holds across worker processes."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} @ {self.ip} · {self.at:%Y-%m-%d %H:%M}"
