"""Background tasks of the privacy room (scheduled daily; `apply_retention` is the cron twin)."""

from django_tasks import task

from recolte.privacy.services import apply_retention


@task()
def apply_retention_task() -> int:
    return apply_retention()
