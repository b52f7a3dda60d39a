"""Background tasks of the privacy room: retention runs daily.

Each run enqueues the next one, for tomorrow night, with `run_after` when the task backend
can defer tasks (the database backend can); at most one run waits at a time. The chain starts
when a worker runs its first task or when a programme's retention is saved, and starts again
the same way if it was ever broken. `recolte apply_retention`, run daily by cron, stays the
safety net for backends that cannot defer.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone
from django_tasks import TaskResult, TaskResultStatus, task
from django_tasks.signals import task_started
from django_tasks_db.models import DBTaskResult

from recolte.privacy.services import apply_retention

RETENTION_HOUR = time(3, 0)  # at night, away from the day's imports and processing


@task()
def apply_retention_task() -> int:
    try:
        return apply_retention()
    finally:
        schedule_retention()  # a failed run must not end the chain


def schedule_retention() -> TaskResult | None:
    """Enqueue tomorrow's run unless one is already waiting; None when nothing was enqueued."""
    if not apply_retention_task.get_backend().supports_defer:
        return None
    waiting = DBTaskResult.objects.filter(
        task_path=apply_retention_task.module_path, status=TaskResultStatus.READY
    )
    if waiting.exists():
        return None
    tomorrow = timezone.localdate() + timedelta(days=1)
    when = timezone.make_aware(datetime.combine(tomorrow, RETENTION_HOUR))
    return apply_retention_task.using(run_after=when).enqueue()


def on_task_started(sender, **kwargs) -> None:
    """A worker runs a task: make sure the retention chain is running (a cheap query)."""
    schedule_retention()


def connect() -> None:
    task_started.connect(on_task_started, dispatch_uid="privacy-schedule-retention")
