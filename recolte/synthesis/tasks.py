"""Background work on reports: generating their files (DOCX and PDF of a large corpus take
seconds) and rendering the public files of a publication. Each `*_start` is what pages call:
the row it marks is what they show and poll."""

from django.contrib.auth.models import AbstractBaseUser
from django_tasks import task

from .models import Report
from .publication import report_publish_queue, report_publish_run
from .report import FORMATS
from .services import generate


@task()
def generate_report_task(report_id: int) -> int:
    generate(Report.objects.select_related("programme").get(pk=report_id))
    return report_id


@task()
def publish_report_task(report_id: int, by_id: int | None = None) -> int:
    report_publish_run(report_id=report_id, by_id=by_id)
    return report_id


def report_start(report: Report) -> Report:
    """Write the report's files now when every format is quick, else through the task."""
    if all(FORMATS[fmt].quick for fmt in report.formats):
        generate(report)
    else:
        generate_report_task.enqueue(report.pk)
        report.refresh_from_db()  # a backend that runs tasks at once has written them already
    return report


def report_publish_start(report: Report, *, by: AbstractBaseUser | None) -> Report:
    """Queue the publication of a finished report; its `publishing` says where it stands."""
    if report_publish_queue(report):
        publish_report_task.enqueue(report.pk, by.pk if by else None)
        report.refresh_from_db()  # a backend that runs tasks at once has published it already
    return report
