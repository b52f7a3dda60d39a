"""Synthesis pages: access, the node editor with its merge view, exports, campaign syntheses."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from recolte.synthesis.campaigns import campaign_synthesis
from recolte.synthesis.models import NodeText, Report
from recolte.testing import run_tasks

from .helpers import campaign_with_responses, codebook, coded


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def corpus(world):
    codes = codebook(world.programme)
    coded(
        world.programme, codes["theme"], "Les puits du village ont été réparés.", orgs=[world.lead]
    )
    return codes


def test_analysis_page_access_and_tree(client, world, corpus):
    url = reverse("synthesis:analysis", args=[world.programme.slug])
    client.force_login(world.users["reader"])
    assert client.get(url).status_code == 403
    client.force_login(world.users["outsider"])
    assert client.get(url).status_code == 404
    client.force_login(world.users["facilitator"])
    page = client.get(url).content.decode()
    assert 'data-key="a1.s11.eau"' in page and "BETA" in page  # never cited
    assert page.index('data-key="a1.s11"') < page.index('data-key="a1.s11.eau"')


def test_editor_draft_preview_save_and_merge(client, world, corpus):
    client.force_login(world.users["facilitator"])
    url = reverse("synthesis:node", args=[world.programme.slug, corpus["theme"].pk])
    page = client.get(url + "?draft=1").content.decode()
    assert "1\u00a0passage codé" in page
    preview = client.post(
        reverse("synthesis:preview", args=[world.programme.slug]), {"text": "Un **point** <script>"}
    )
    assert preview.content.decode() == "<p>Un <strong>point</strong> &lt;script&gt;</p>\n"
    assert client.post(url, {"text": "Texte A", "version": 0}).status_code == 302
    stale = client.post(url, {"text": "Texte B", "version": 0})
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "Texte A" in body and "Texte B" in body
    assert NodeText.objects.get(code=corpus["theme"]).text == "Texte A"
    assert client.post(url, {"text": "Texte A et B", "version": 1}).status_code == 302
    assert "Texte A et B" in client.get(url).content.decode()


def test_quick_export_download_and_publish(client, world, corpus):
    client.force_login(world.users["facilitator"])
    slug = world.programme.slug
    client.post(
        reverse("synthesis:export", args=[slug]), {"format": ["md", "html"], "pseudonymise": "none"}
    )
    report = Report.objects.get()
    assert report.status == "done" and report.progress == 100
    data = b"".join(
        client.get(reverse("synthesis:report_file", args=[slug, report.pk, "md"])).streaming_content
    ).decode()
    assert "Les puits du village" in data
    client.force_login(world.users["team"])
    assert (
        client.post(
            reverse("synthesis:report_publish", args=[slug, report.pk]), {"publish": "1"}
        ).status_code
        == 403
    )
    client.force_login(world.users["admin"])
    client.post(reverse("synthesis:report_publish", args=[slug, report.pk]), {"publish": "1"})
    report.refresh_from_db()
    assert report.publishing == "queued" and not report.is_published  # its files render later
    row = client.get(reverse("synthesis:report", args=[slug, report.pk])).content.decode()
    assert 'data-publishing="queued"' in row and 'hx-trigger="every 2s"' in row
    run_tasks()
    report.refresh_from_db()
    assert report.is_published and report.published_at and report.publishing == ""
    assert report.publication.file("md") is not None
    row = client.get(reverse("synthesis:report", args=[slug, report.pk])).content.decode()
    assert "hx-trigger" not in row


def test_long_exports_are_queued_then_generated(client, world, corpus):
    client.force_login(world.users["facilitator"])
    client.post(reverse("synthesis:export", args=[world.programme.slug]), {"format": ["docx"]})
    report = Report.objects.get()
    assert report.status == "queued"
    row = client.get(reverse("synthesis:report", args=[world.programme.slug, report.pk]))
    assert b'hx-trigger="every 2s"' in row.content
    run_tasks()
    report.refresh_from_db()
    assert report.status == "done" and report.file("docx").read()[:2] == b"PK"


def test_campaign_synthesis_page_and_export(client, world):
    codes = codebook(world.programme)
    campaign = campaign_with_responses(world, codes["theme"])
    view = campaign_synthesis(campaign)
    assert [(n.code.key, n.responses, n.organisations) for n in view.nodes] == [
        ("a1.s11.eau", 2, ["ALPHA", "BETA"])
    ]
    assert {o.label for i in view.nodes[0].quotes for o in i.orgs} == {"ALPHA", "BETA"}
    assert view.chart and view.chart.categories == ("L’eau",)
    client.force_login(world.users["facilitator"])
    slug = world.programme.slug
    client.post(
        reverse("synthesis:campaign_save", args=[slug, campaign.pk]),
        {"key": "a1.s11.eau", "text": "Deux *puits*.", "version": 0},
    )
    page = client.get(reverse("synthesis:campaign", args=[slug, campaign.pk])).content.decode()
    assert "<em>puits</em>" in page and "<svg" in page
    md = client.get(reverse("synthesis:campaign_export", args=[slug, campaign.pk, "md"]))
    assert "Deux *puits*" in md.content.decode()


def test_report_command_writes_the_file(world, corpus, tmp_path):
    out = io.StringIO()
    call_command(
        "report",
        "--programme",
        world.programme.slug,
        "--format",
        "html",
        "--pseudonymise",
        "role",
        "--out",
        str(tmp_path / "r.html"),
        stdout=out,
    )
    assert "Les puits du village" in (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Wrote" in out.getvalue()


def test_filters_read_the_pilot_by_id_as_the_library_does(client, world, corpus):
    """One reader for library, search and synthesis: `pilot` is an id everywhere; an old code or
    garbage is ignored (everything shown); the export keeps the filters shown, years included."""
    coded(world.programme, corpus["theme"], "Le forage du quartier est fini.", pilot=world.pilot)
    client.force_login(world.users["facilitator"])
    url = reverse("synthesis:analysis", args=[world.programme.slug])
    assert client.get(url).context["passages"] == 2
    assert client.get(url, {"pilot": world.pilot.pk}).context["passages"] == 1
    for ignored in (world.pilot.code, "1e9", "-3", "9" * 30):
        assert client.get(url, {"pilot": ignored}).context["passages"] == 2
    page = client.get(url, {"pilot": world.pilot.pk, "year_from": "2023"}).content.decode()
    assert f'<option value="{world.pilot.pk}" selected>' in page
    assert f'name="pilot" value="{world.pilot.pk}"' in page  # carried by the export form

    client.post(
        reverse("synthesis:export", args=[world.programme.slug]),
        {"format": ["md"], "pilot": world.pilot.pk, "year_from": "2023", "year_to": "99999"},
    )
    assert Report.objects.get().filters == {"pilot": world.pilot.pk, "year_from": 2023}


def test_report_command_filters_by_pilot_code(world, corpus, tmp_path):
    coded(world.programme, corpus["theme"], "Le forage du quartier est fini.", pilot=world.pilot)
    out = tmp_path / "r.md"
    args = ["report", "--programme", world.programme.slug, "--format", "md", "--out", str(out)]
    call_command(*args, "--pilot", world.pilot.code, stdout=io.StringIO())
    text = out.read_text(encoding="utf-8")
    assert "forage" in text and "puits" not in text
    with pytest.raises(CommandError, match="No pilot operation"):
        call_command(*args, "--pilot", "nope", stdout=io.StringIO())
