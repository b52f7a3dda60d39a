"""Publishing a report renders its public files in a task: the request only queues it, the pages
show where it stands, and the portal serves the files once the task ran. Analysis Markdown
reads the same on staff and public pages."""

import pytest
from django.urls import reverse

from recolte.portal.models import PublicationEvent
from recolte.portal.tests.helpers import campaign_synthesis, client_for, finished_report, publish
from recolte.synthesis.models import Report
from recolte.testing import run_tasks

pytestmark = pytest.mark.django_db


def _publish(world, report: Report, verb: str = "publish"):
    url = reverse("portal:publish", args=[world.programme.slug, "report", report.pk])
    page = reverse("portal:publication", args=[world.programme.slug])
    return client_for(world, "facilitator").post(url, {"verb": verb, "next": page}, follow=True)


def test_publishing_a_report_queues_its_files_then_the_portal_serves_them(published, no_render):
    report = finished_report(published, formats=["html", "md"])
    slug = published.programme.slug
    answer = _publish(published, report)
    assert any("being rendered" in str(m) for m in answer.context["messages"])
    report.refresh_from_db()
    assert report.publishing == "queued" and not report.is_published
    assert no_render == []  # nothing rendered inside the request
    body = answer.content.decode()
    assert 'data-state="pending"' in body and 'hx-select="#publication-report-' in body
    visitor = client_for(published, "anonymous")
    assert visitor.get(reverse("portal:report", args=[slug, report.pk])).status_code == 404

    run_tasks()
    report.refresh_from_db()
    assert report.is_published and report.publishing == ""
    assert no_render == ["html", "md"]
    md = visitor.get(reverse("portal:report_file", args=[slug, report.pk, "md"]))
    assert md.status_code == 200 and md["Content-Type"] == "text/markdown; charset=utf-8"
    assert b"".join(md.streaming_content).startswith(b"# ")
    page = client_for(published, "facilitator").get(reverse("portal:publication", args=[slug]))
    assert 'data-state="pending"' not in page.content.decode()
    assert PublicationEvent.objects.filter(kind="report", verb="publish").count() == 1


def test_withdrawing_a_queued_report_cancels_its_publication(published):
    report = finished_report(published, formats=["md"])
    _publish(published, report)
    _publish(published, report, "unpublish")
    run_tasks()  # the task finds nothing to do
    report.refresh_from_db()
    assert not report.is_published and report.publishing == ""
    assert not hasattr(report, "publication")


def test_a_failed_rendering_is_shown_and_publishes_nothing(published, monkeypatch):
    report = finished_report(published, formats=["md"])
    _publish(published, report)

    def broken(document, fmt):
        raise RuntimeError("no font")

    monkeypatch.setattr("recolte.synthesis.publication.render", broken)
    run_tasks()
    report.refresh_from_db()
    assert report.publishing == "failed" and "no font" in report.publishing_error
    assert not report.is_published and not hasattr(report, "publication")
    page = client_for(published, "facilitator").get(
        reverse("portal:publication", args=[published.programme.slug])
    )
    assert 'data-state="failed"' in page.content.decode()


@pytest.fixture
def no_render(monkeypatch):
    """The formats rendered for publication, in order (the real renderer still runs)."""
    from recolte.synthesis import publication

    done: list[str] = []
    real = publication.render

    def counting(document, fmt):
        done.append(fmt)
        return real(document, fmt)

    monkeypatch.setattr(publication, "render", counting)
    return done


NESTED = "Un **gras *italique* gras** puis *italique **gras** italique*."


def test_nested_emphasis_reads_the_same_in_the_staff_preview_and_on_the_portal(published):
    preview = client_for(published, "facilitator").post(
        reverse("synthesis:preview", args=[published.programme.slug]), {"text": NESTED}
    )
    staff = preview.content.decode().strip()
    assert "<strong>gras </strong><strong><em>italique</em></strong>" in staff
    assert "<em>italique </em><strong><em>gras</em></strong><em> italique</em>" in staff
    synthesis = publish(campaign_synthesis(published, text=NESTED))
    url = reverse("portal:synthesis", args=[published.programme.slug, synthesis.pk])
    public = client_for(published, "anonymous").get(url).content.decode()
    assert staff in public


def test_a_withdrawal_while_the_files_render_wins(published, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = finished_report(published, formats=["md"])
    _publish(published, report)
    from recolte.synthesis import publication

    real = publication.render

    def withdrawn_meanwhile(document, fmt):
        Report.objects.filter(pk=report.pk).update(publishing="")  # as unpublish leaves it
        return real(document, fmt)

    monkeypatch.setattr(publication, "render", withdrawn_meanwhile)
    run_tasks()
    report.refresh_from_db()
    assert not report.is_published and not hasattr(report, "publication")
    written = tmp_path / "publications"
    assert written.is_dir() and not list(written.rglob("*.md"))  # the rolled-back file went
