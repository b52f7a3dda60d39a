"""The publication log: who put what on the public portal, and when.

Registry objects carry only an `is_published` flag and resources a confidentiality level, so
the date shown on the portal and the level a resource returns to when withdrawn live here.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from recolte.collection.models import Resource, ResourceVersion
from recolte.registry.models import Programme


class Kind(models.TextChoices):
    PROGRAMME = "programme", _("programme")
    PILOT = "pilot", _("pilot sheet")
    RESOURCE = "resource", _("resource")
    SYNTHESIS = "synthesis", _("synthesis")
    REPORT = "report", _("report")


class PublicationEvent(models.Model):
    class Verb(models.TextChoices):
        PUBLISH = "publish", _("published")
        UNPUBLISH = "unpublish", _("withdrawn")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    verb = models.CharField(max_length=10, choices=Verb.choices)
    # The resource's confidentiality before it was published, restored when it is withdrawn.
    previous = models.CharField(max_length=12, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["kind", "object_id", "-at"])]
        verbose_name = _("publication event")
        verbose_name_plural = _("publication events")

    def __str__(self) -> str:
        return f"{self.get_verb_display()} {self.kind} {self.object_id} · {self.at:%Y-%m-%d}"


class PublishedVersion(models.Model):
    """The version of a published resource the portal shows: a publication is a snapshot, so a
    later edit (a new version) stays inside until the resource is published again."""

    resource = models.OneToOneField(
        Resource, on_delete=models.CASCADE, primary_key=True, related_name="published_version"
    )
    version = models.ForeignKey(ResourceVersion, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")

    def __str__(self) -> str:
        return str(self.version)
