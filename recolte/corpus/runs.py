"""Processing runs: a list of versions worked through in order, with progress and resume.

The pending list shrinks only once a version's passages are embedded and indexed, so a run
killed at any point resumes from the first version not fully done (redoing a few is harmless:
processing is idempotent).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from django.db.models import Max
from django.utils import timezone

from recolte.collection.models import Resource, ResourceVersion
from recolte.registry.models import Programme

from .models import Passage, ProcessingRun
from .pipeline import Batch

Status = ProcessingRun.Status


def current_versions(
    *, programme: Programme | None = None, resource_ids: Iterable[int] | None = None
) -> list[int]:
    """Ids of the latest version of each selected resource."""
    resources = Resource.objects.all()
    if programme is not None:
        resources = resources.filter(programme=programme)
    if resource_ids is not None:
        resources = resources.filter(pk__in=list(resource_ids))
    latest = dict(
        resources.annotate(n=Max("versions__number")).filter(n__isnull=False).values_list("pk", "n")
    )
    versions = ResourceVersion.objects.filter(resource__in=resources).values_list(
        "pk", "resource_id", "number"
    )
    return sorted(pk for pk, resource_id, number in versions if latest[resource_id] == number)


def unprocessed(version_ids: list[int]) -> list[int]:
    """Versions not (fully) processed: no passage points to them, or one still lacks a vector."""
    seen = set(
        Passage.objects.filter(version_id__in=version_ids).values_list("version_id", flat=True)
    )
    unembedded = set(
        Passage.objects.filter(
            version_id__in=version_ids, retired_in__isnull=True, vector__isnull=True
        ).values_list("version_id", flat=True)
    )
    return [v for v in version_ids if v not in seen or v in unembedded]


def start_run(version_ids: list[int], *, programme: Programme | None, label: str) -> ProcessingRun:
    return ProcessingRun.objects.create(
        programme=programme, label=label[:200], pending=version_ids, total=len(version_ids)
    )


def takeover(
    *, programme: Programme | None = None, label: str | None = None
) -> list[ProcessingRun]:
    """Claim the interrupted and stale runs (of a programme, or with a label) to resume them.

    The claim is one conditional update, so of two processes looking at once only one gets a
    run, and a run whose process is alive (fresh heartbeat) is never taken.
    """
    runs = ProcessingRun.objects.takeable()
    if programme is not None:
        runs = runs.filter(programme=programme)
    if label is not None:
        runs = runs.filter(label=label)
    claimed = []
    for run in runs.order_by("pk"):
        mine = ProcessingRun.objects.filter(pk=run.pk).takeable()
        if mine.update(status=Status.RUNNING, heartbeat_at=timezone.now()):
            run.refresh_from_db()
            claimed.append(run)
    return claimed


Progress = Callable[[ProcessingRun], None]


def execute(run: ProcessingRun, on_progress: Progress | None = None) -> ProcessingRun:
    """Work through the run's pending versions; errors are recorded and skipped."""
    run.status = Status.RUNNING
    run.started = run.started or timezone.now()
    run.touch()
    run.save()
    batch = Batch()
    tick = time.monotonic()

    def settle(done_ids: list[int]) -> None:
        nonlocal tick
        now = time.monotonic()
        run.busy_seconds += now - tick
        tick = now
        finished = set(done_ids)
        run.pending = [v for v in run.pending if v not in finished]
        run.done = run.total - len(run.pending)
        run.passages = run.passages + batch.passages_done
        batch.passages_done = 0
        run.touch()  # renews the lease
        run.save(
            update_fields=["pending", "done", "passages", "busy_seconds", "updated", "heartbeat_at"]
        )
        if on_progress:
            on_progress(run)

    try:
        for version_id in list(run.pending):
            version = (
                ResourceVersion.objects.select_related("resource__programme")
                .filter(pk=version_id)
                .first()
            )
            try:
                done = batch.add(version) if version else [version_id]
            except Exception as error:  # noqa: BLE001 - one bad document must not stop the run
                run.errors = [*run.errors, {"version": version_id, "error": str(error)[:500]}]
                batch.waiting, batch.versions = [], []  # stay pending: retried next run
                done = [version_id]
            if done:
                settle(done)
            elif timezone.now() - run.heartbeat_at > ProcessingRun.LEASE / 10:
                run.touch()  # versions that fill a batch slowly must not let the lease run out
                run.save(update_fields=["updated", "heartbeat_at"])
        settle(batch.flush())
    except BaseException:
        run.status = Status.INTERRUPTED
        run.save(update_fields=["status"])
        raise
    run.status = Status.FAILED if run.errors and not run.passages else Status.DONE
    run.finished = timezone.now()
    run.save(update_fields=["status", "finished"])
    return run
