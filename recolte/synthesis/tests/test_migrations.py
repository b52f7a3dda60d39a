"""0004 moves the files of the per-format columns (reports and their publications) into
`ReportFile` rows, and back when unapplied; 0006 names a stored report's pilot by id."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from recolte.testing import make_world

BEFORE = [("synthesis", "0003_report_files")]
AFTER = [("synthesis", "0004_move_report_files")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_files_move_from_columns_to_rows_and_back():
    programme = make_world().programme
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("synthesis")
    try:
        old = _migrate(BEFORE)
        Report = old.get_model("synthesis", "Report")
        Publication = old.get_model("synthesis", "Publication")
        report = Report.objects.create(
            programme_id=programme.pk, formats=["docx", "md"], docx="reports/2024/05/r.docx"
        )
        Report.objects.create(programme_id=programme.pk, formats=["md"])  # nothing generated
        Publication.objects.create(report=report, md="publications/2024/05/r.md")

        new = _migrate(AFTER)
        rows = new.get_model("synthesis", "ReportFile").objects.order_by("pk")
        assert [(r.report_id, r.publication_id, r.format, r.file.name) for r in rows] == [
            (report.pk, None, "docx", "reports/2024/05/r.docx"),
            (report.pk, Publication.objects.get().pk, "md", "publications/2024/05/r.md"),
        ]
        assert {r.size for r in rows} == {0}  # the files are not in this storage

        old = _migrate(BEFORE)  # unapplied: the columns are filled again, the rows gone
        assert not old.get_model("synthesis", "ReportFile").objects.exists()
        assert old.get_model("synthesis", "Report").objects.get(pk=report.pk).docx.name == (
            "reports/2024/05/r.docx"
        )
        assert old.get_model("synthesis", "Publication").objects.get().md.name == (
            "publications/2024/05/r.md"
        )
    finally:
        _migrate(latest)


@pytest.mark.django_db(transaction=True)
def test_stored_report_filters_name_the_pilot_by_id_and_back():
    world = make_world()
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("synthesis")
    before = [("synthesis", "0005_drop_file_columns")]
    try:
        Report = _migrate(before).get_model("synthesis", "Report")
        by_code = Report.objects.create(
            programme_id=world.programme.pk, filters={"axis": "1", "pilot": world.pilot.code}
        )
        gone = Report.objects.create(programme_id=world.programme.pk, filters={"pilot": "zz"})
        unfiltered = Report.objects.create(programme_id=world.programme.pk, filters={})

        Report = _migrate([("synthesis", "0006_report_filters_pilot_id")]).get_model(
            "synthesis", "Report"
        )
        assert Report.objects.get(pk=by_code.pk).filters == {"axis": "1", "pilot": world.pilot.pk}
        assert Report.objects.get(pk=gone.pk).filters == {"pilot": -1}  # still matches nothing
        assert Report.objects.get(pk=unfiltered.pk).filters == {}

        Report = _migrate(before).get_model("synthesis", "Report")
        assert Report.objects.get(pk=by_code.pk).filters["pilot"] == world.pilot.code
    finally:
        _migrate(latest)
