"""One source per fact: every list of report formats, every writer and every content type
served comes from `report.formats.FORMATS`."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from recolte.synthesis import publication
from recolte.synthesis.models import Report
from recolte.synthesis.report import FORMATS, ReportDocument, render
from recolte.synthesis.report.formats import report_format
from recolte.synthesis.services import report_file_save

from .helpers import campaign_with_responses, codebook

REPORT_PACKAGE = Path(__file__).resolve().parents[1] / "report"


def test_every_format_has_a_writer_and_every_writer_a_format():
    for spec in FORMATS.values():
        assert callable(spec.writer()), spec.key  # a spec entry without a writer fails here
        assert render(ReportDocument("Titre"), spec.key)
    modules = {p.stem for p in REPORT_PACKAGE.glob("*_writer.py")}
    assert modules == {spec.writer_path.split(".")[-2] for spec in FORMATS.values()}
    with pytest.raises(ValueError, match="unknown report format"):
        report_format("odt")


def _finished(world, data: bytes = b"x") -> Report:
    report = Report.objects.create(
        programme=world.programme, title="Analyse", formats=list(FORMATS), status="done"
    )
    for fmt in FORMATS:
        report_file_save(report=report, fmt=fmt, data=data, stem="analyse")
    return report


def test_staff_pages_list_every_format_and_serve_its_content_type(client, world):
    codes = codebook(world.programme)
    campaign = campaign_with_responses(world, codes["theme"])
    report = _finished(world)
    client.force_login(world.users["facilitator"])
    slug = world.programme.slug
    page = client.get(reverse("synthesis:analysis", args=[slug])).content.decode()
    assert re.findall(r'name="format" value="(\w+)"', page) == list(FORMATS)
    checked = re.findall(r'name="format" value="(\w+)" checked', page)
    assert checked == [f.key for f in FORMATS.values() if f.preselected]
    for spec in FORMATS.values():
        url = reverse("synthesis:report_file", args=[slug, report.pk, spec.key])
        served = client.get(url)
        assert served["Content-Type"] == spec.content_type
        assert served["Content-Disposition"].endswith(f'.{spec.extension}"')
        url = reverse("synthesis:campaign_export", args=[slug, campaign.pk, spec.key])
        assert client.get(url)["Content-Type"] == spec.content_type


def test_the_portal_lists_and_serves_every_published_format_from_the_spec(world, settings):
    settings.LANGUAGE_CODE = "en"
    world.programme.is_published = True
    world.programme.save()
    report = _finished(world)
    publication.publish(report, by=None)  # renders every format of the report for the public
    visitor = Client()
    slug = world.programme.slug
    page = visitor.get(reverse("portal:report", args=[slug, report.pk]))
    assert [f.key for f in page.context["formats"]] == list(FORMATS)
    for spec in FORMATS.values():
        served = visitor.get(reverse("portal:report_file", args=[slug, report.pk, spec.key]))
        assert served["Content-Type"] == spec.content_type
        assert ("attachment" in served["Content-Disposition"]) is not spec.inline
        assert served["Content-Disposition"].endswith(f'analyse.{spec.extension}"')
    assert (
        visitor.get(reverse("portal:report_file", args=[slug, report.pk, "odt"])).status_code == 404
    )
