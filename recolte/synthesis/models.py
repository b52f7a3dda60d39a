"""The synthesis room: analysis texts written on codebook nodes, campaign syntheses, reports.

Texts carry a `version` number: an edit form sends the version it started from and a save from a
stale version is refused (see `services.save_node_text`), so two editors never overwrite each
other silently. What the public portal shows of a synthesis or a report is a `Publication`, a
snapshot taken when it was published (see `publication.py`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recolte.coding.models import Code
from recolte.collection.models import Campaign
from recolte.registry.models import Programme


class Published(models.Model):
    is_published = models.BooleanField(_("published on the public portal"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        abstract = True


class NodeText(Published):
    """The facilitator's analysis of one codebook node (Markdown)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="node_texts")
    code = models.OneToOneField(Code, on_delete=models.CASCADE, related_name="analysis")
    text = models.TextField(_("analysis"), blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("analysis text")
        verbose_name_plural = _("analysis texts")

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class NodeTextRevision(models.Model):
    """One saved state of a node text; diffs are computed when the history is shown."""

    node_text = models.ForeignKey(NodeText, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["node_text", "version"], name="revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.node_text} r{self.version}"


class CampaignSynthesis(Published):
    """A campaign's synthesis: an overall text and one text per node (keyed by code key)."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="synthesis")
    text = models.TextField(_("overall analysis"), blank=True)
    node_texts = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("campaign synthesis")
        verbose_name_plural = _("campaign syntheses")

    def __str__(self) -> str:
        return f"{self.campaign}"


class Pseudonymise(models.TextChoices):
    FULL = "full", _("full name")
    FIRST_NAME = "first_name", _("first name")
    ROLE = "role", _("role only")
    NONE = "none", _("no name")


class Publishing(models.TextChoices):
    """Where a report's publication stands while its public files render in the background."""

    NONE = "", _("not being published")
    QUEUED = "queued", _("publication queued")
    RUNNING = "running", _("being published")
    FAILED = "failed", _("publication failed")


class Report(Published):
    """One generation of the cross-cutting analysis: its settings and the files it produced
    (`ReportFile` rows without a publication)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="reports")
    title = models.CharField(_("title"), max_length=300, blank=True)
    # {"axis": key, "instrument": value, "pilot": code, "year_from": int, "year_to": int}
    filters = models.JSONField(default=dict, blank=True)
    pseudonymise = models.CharField(
        _("names in quotes"),
        max_length=12,
        choices=Pseudonymise.choices,
        default=Pseudonymise.FIRST_NAME,
    )
    formats = models.JSONField(default=list)  # requested, e.g. ["docx", "pdf"]
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    error = models.TextField(blank=True)
    # Publishing renders the public files in a task (see `tasks.report_publish_start`).
    publishing = models.CharField(
        max_length=10, choices=Publishing.choices, default=Publishing.NONE, blank=True
    )
    publishing_error = models.TextField(blank=True)
    seconds = models.FloatField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return self.title or f"report {self.pk}"

    def is_being_published(self) -> bool:
        return self.publishing in (Publishing.QUEUED, Publishing.RUNNING)

    def file(self, fmt: str) -> models.fields.files.FieldFile | None:
        """The staff file of `fmt`, if it was generated."""
        return _file(self.files.filter(publication=None, format=fmt).first())


class Publication(models.Model):
    """What the public portal shows of a campaign synthesis or a report, frozen when published.

    It is built from the evidence a public page may carry only; edits made afterwards stay on the
    staff side until published again, and withdrawing deletes it. Names in it are plain text in
    `content` (and in the report files) so erasure can pseudonymise them in place.
    """

    synthesis = models.OneToOneField(
        CampaignSynthesis,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="publication",
    )
    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, null=True, blank=True, related_name="publication"
    )
    # Synthesis: {"title", "overall", "nodes": [{"key", "name", "depth", "responses",
    # "organisations", "analysis", "quotes": [{"text", "attribution"}]}]}; report: {"title"}.
    # Analysis texts are the Markdown subset, rendered (escaped) when the page is served.
    content = models.JSONField(default=dict)
    left_out = models.JSONField(default=list)  # what publishing withheld, as told to the publisher
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.CheckConstraint(
                condition=Q(synthesis__isnull=True, report__isnull=False)
                | Q(synthesis__isnull=False, report__isnull=True),
                name="publication_of_one_thing",
            )
        ]

    def __str__(self) -> str:
        return str(self.content.get("title", "")) or f"publication {self.pk}"

    def file(self, fmt: str) -> models.fields.files.FieldFile | None:
        """The public file of `fmt` rendered when the report was published, if any."""
        return _file(self.files.filter(format=fmt).first())


def report_file_path(instance: ReportFile, filename: str) -> str:
    # Public renderings are kept apart from the staff ones, as they were in their own columns.
    folder = "publications" if instance.publication_id else "reports"
    return f"{folder}/{timezone.now():%Y/%m}/{filename}"


class ReportFile(models.Model):
    """One rendered file of a report: a staff file (no publication) or a public file, part of
    the report's publication snapshot. The formats are `report.formats.FORMATS`."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="files")
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    format = models.CharField(max_length=10)
    file = models.FileField(upload_to=report_file_path, max_length=200)
    size = models.PositiveBigIntegerField(default=0)  # bytes
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "format"],
                condition=Q(publication__isnull=True),
                name="report_file_once",
            ),
            models.UniqueConstraint(
                fields=["publication", "format"],
                condition=Q(publication__isnull=False),
                name="publication_file_once",
            ),
        ]

    def __str__(self) -> str:
        return self.file.name


def _file(row: ReportFile | None) -> models.fields.files.FieldFile | None:
    return row.file if row is not None and row.file else None
