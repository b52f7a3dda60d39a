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


class AuditEvent(models.Model):
    """Who viewed, exported or changed confidential material, and who published what.

    Rows are only ever added; names are copied so the trail survives a deleted account.
    """

    class Verb(models.TextChoices):
        VIEW = "view", _("viewed")
        EXPORT = "export", _("exported")
        CHANGE = "change", _("changed")
        PUBLISH = "publish", _("published")
        UNPUBLISH = "unpublish", _("unpublished")
        ERASE = "erase", _("erased personal data")
        DELETE = "delete", _("deleted (retention)")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme"),
    )
    verb = models.CharField(_("action"), max_length=20, choices=Verb.choices)
    target_type = models.CharField(_("object type"), max_length=60)
    target_id = models.CharField(_("object id"), max_length=60, blank=True)
    target_label = models.CharField(_("object"), max_length=300, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["programme", "-at"], name="audit_programme_at")]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} · {self.username} · {self.verb} · {self.target_type}"
