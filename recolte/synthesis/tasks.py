"""Background generation of report files (DOCX and PDF of a large corpus take seconds)."""

from django_tasks import task

from .models import Report
from .services import generate


@task()
def generate_report_task(report_id: int) -> int:
    generate(Report.objects.select_related("programme").get(pk=report_id))
    return report_id
