"""The corpus: passages cut from resource versions, their mentions, vectors and processing runs.

A passage keeps its identity across versions of a resource while its text is unchanged: its
offsets then follow the latest version it appears in (`version`), and a passage absent from a
newer version is retired in it rather than deleted, so codings attached to it survive.
"""

import uuid
from datetime import timedelta

import numpy as np
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recolte.collection.models import Resource, ResourceVersion
from recolte.registry.models import Country, Organisation, Programme


class Passage(models.Model):
    class Kind(models.TextChoices):
        PARAGRAPH = "paragraph", _("paragraph")
        LIST = "list", _("list")
        TURN = "turn", _("speaker turn")
        HEADING = "heading", _("heading")
        CUE = "cue", _("subtitle cue")
        # A campaign question repeated in each response: kept as the context of the answers
        # after it, never searched, coded or suggested on its own.
        PROMPT = "prompt", _("question prompt")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="passages")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="passages")
    first_version = models.ForeignKey(ResourceVersion, on_delete=models.CASCADE, related_name="+")
    # The latest version containing this passage: `start`/`end` index its text.
    version = models.ForeignKey(ResourceVersion, on_delete=models.CASCADE, related_name="passages")
    retired_in = models.ForeignKey(
        ResourceVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ordinal = models.PositiveIntegerField()
    start = models.PositiveIntegerField()  # code points into version.text
    end = models.PositiveIntegerField()  # exclusive
    text = models.TextField()
    text_sha256 = models.CharField(max_length=64)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PARAGRAPH)
    language = models.CharField(max_length=8, blank=True, db_index=True)
    speaker = models.CharField(max_length=120, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    fresh = False  # set by the pipeline on passages it has just created (not a field)

    class Meta:
        ordering = ["resource", "ordinal"]
        indexes = [
            models.Index(fields=["resource", "retired_in", "ordinal"]),
            models.Index(fields=["programme", "retired_in"]),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id}#{self.ordinal}: {self.text[:60]}"

    def get_absolute_url(self) -> str:
        return f"{self.resource.get_absolute_url()}#p-{self.pk}"


class Mention(models.Model):
    """A registry organisation or a country named in a passage (offsets into passage.text)."""

    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="mentions")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="mentions"
    )
    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, null=True, blank=True, related_name="mentions"
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    surface = models.CharField(max_length=200)

    class Meta:
        ordering = ["passage", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False, country__isnull=True)
                | models.Q(organisation__isnull=True, country__isnull=False),
                name="mention_one_target",
            )
        ]

    def __str__(self) -> str:
        return self.surface


class UnknownEntity(models.Model):
    """An organisation-like name found in passages but not in the registry."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)  # folded surface: one row per spelling family
    surface = models.CharField(_("name as written"), max_length=200)
    count = models.PositiveIntegerField(default=0)
    passages = models.ManyToManyField(Passage, blank=True, related_name="unknown_entities")
    mapped_to = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ignored = models.BooleanField(default=False)

    class Meta:
        ordering = ["-count", "surface"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="unknown_entity_unique")
        ]

    def __str__(self) -> str:
        return self.surface


class PassageVector(models.Model):
    """The embedding of a passage (float32 bytes); the vendor index tables derive from it."""

    passage = models.OneToOneField(
        Passage, on_delete=models.CASCADE, primary_key=True, related_name="vector"
    )
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    model = models.CharField(max_length=80)
    model_version = models.CharField(max_length=80)
    data = models.BinaryField()

    def __str__(self) -> str:
        return f"{self.model} {self.model_version} #{self.passage_id}"

    def array(self) -> np.ndarray:
        return np.frombuffer(bytes(self.data), dtype=np.float32)


class IndexState(models.Model):
    """Tokens bumped when a programme's corpus changes, so in-process caches reload."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    # A fresh random token per change: survives database flushes that reset counters.
    vectors_token = models.UUIDField(default=uuid.uuid4)  # vectors (retrieval.memvec)
    # Live passages, their languages and mentions (retrieval.passage_facts): a separate token,
    # because they change per resource while reloading a large programme's vectors is slow.
    passages_token = models.UUIDField(default=uuid.uuid4)

    def __str__(self) -> str:
        return f"{self.programme_id}@{self.passages_token}/{self.vectors_token}"


class RunQuerySet(models.QuerySet):
    def stale(self) -> "RunQuerySet":
        """Runs whose process died (SIGKILL, power cut): marked as working, silent for a lease."""
        expired = timezone.now() - ProcessingRun.LEASE
        return self.filter(status__in=ProcessingRun.WORKING, heartbeat_at__lt=expired)

    def live(self) -> "RunQuerySet":
        expired = timezone.now() - ProcessingRun.LEASE
        return self.filter(status__in=ProcessingRun.WORKING, heartbeat_at__gte=expired)

    def takeable(self) -> "RunQuerySet":
        """Runs another process may resume: interrupted, or stale."""
        return self.filter(status=ProcessingRun.Status.INTERRUPTED) | self.stale()


class ProcessingRun(models.Model):
    """One pass of the pipeline over a set of resource versions, resumable item by item.

    The process working on a run holds a lease on it, renewed (`heartbeat_at`) at every batch:
    a run whose lease ran out belongs to a process that was killed without a chance to say so.
    """

    # Longer than any one batch takes (a batch of 64 long passages embeds in seconds), so a
    # live run is never taken over; short enough that a killed one resumes the same day.
    LEASE = timedelta(minutes=10)

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        INTERRUPTED = "interrupted", _("interrupted")

    WORKING = (Status.QUEUED, Status.RUNNING)

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    label = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    # Versions still to process, in order; an interrupted run resumes from here.
    pending = models.JSONField(default=list)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    passages = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)  # [{"version": id, "error": "..."}]
    started = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    # Seconds spent working (excludes time spent interrupted), for the rate.
    busy_seconds = models.FloatField(default=0)
    heartbeat_at = models.DateTimeField(default=timezone.now)

    objects = RunQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.label or 'run'} {self.done}/{self.total}"

    @property
    def rate(self) -> float:
        """Versions per second over the time spent working."""
        return self.done / self.busy_seconds if self.busy_seconds else 0.0

    @property
    def eta_seconds(self) -> float | None:
        remaining = self.total - self.done
        return remaining / self.rate if self.rate and remaining > 0 else None

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def stale(self) -> bool:
        return self.status in self.WORKING and self.heartbeat_at < timezone.now() - self.LEASE

    @property
    def active(self) -> bool:
        return self.status in self.WORKING and not self.stale

    @property
    def state_display(self) -> str:
        """The status as people should read it: a stale run is shown interrupted."""
        return self.Status.INTERRUPTED.label if self.stale else self.get_status_display()

    def touch(self) -> None:
        self.updated = self.heartbeat_at = timezone.now()
