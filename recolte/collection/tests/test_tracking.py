"""Tracking numbers per campaign and programme-wide, and their CSV/XLSX exports."""

import csv
import io
from datetime import timedelta

import openpyxl
from django.urls import reverse
from django.utils import timezone

from recolte.collection import services as svc
from recolte.collection import tracking
from recolte.collection.models import Campaign, Response
from recolte.collection.tests.campaign_fixtures import first_question, logbook
from recolte.registry.models import Organisation
from recolte.testing import PASSWORD


def _scenario(world):
    """ALPHA submitted late, BETA has a draft, GAMMA was invited but has not started."""
    gamma = Organisation.objects.create(programme=world.programme, name="Gamma", nature="ngo")
    campaign = logbook(world, closes_in=-3)
    campaign.chosen_organisations.add(gamma)
    invitation, _ = svc.invitation_issue(campaign=campaign, organisation=gamma, email="g@g.org")
    invitation.sent = timezone.now()
    invitation.save()
    question = first_question(campaign)
    for org in (world.lead, world.partner):
        response = svc.response_for(campaign, org, Response.Channel.BROWSER)
        svc.answer_save(response=response, question=question, text=f"Réponse {org.label}")
    svc.response_submit(response=Response.objects.get(organisation=world.lead))
    return campaign


def test_campaign_numbers(world):
    campaign = _scenario(world)
    table = tracking.campaign_tracking(campaign)
    states = {r.organisation.label: (r.state, r.invited, r.late) for r in table.rows}
    assert states == {
        "ALPHA": ("submitted", False, True),
        "BETA": ("draft", False, True),
        "Gamma": ("not_started", True, True),
    }
    assert (table.expected, table.invited, table.started, table.submitted, table.late) == (
        3,
        1,
        2,
        1,
        3,
    )
    assert (table.started_rate, table.submitted_rate) == (67, 33)


def test_on_time_and_programme_table(world):
    campaign = _scenario(world)
    Campaign.objects.filter(pk=campaign.pk).update(
        closes_on=timezone.localdate() + timedelta(days=3)
    )
    assert tracking.campaign_tracking(Campaign.objects.get(pk=campaign.pk)).late == 0
    draft = svc.campaign_duplicate(campaign=campaign)  # drafts stay out of the tracking
    table = tracking.programme_tracking(world.programme)
    assert [t.campaign for t in table.campaigns] == [campaign]
    assert draft not in [t.campaign for t in table.campaigns]
    assert [o.label for o in table.organisations] == ["ALPHA", "BETA", "Gamma"]
    assert table.cells[world.lead.pk][0].state == "submitted"


def test_exports_parse_back(client, world):
    campaign = _scenario(world)
    client.login(username=world.users["facilitator"].username, password=PASSWORD)
    client.post(reverse("set_language"), {"language": "en"})
    url = reverse("collection:tracking_export", args=["prog", campaign.pk, "csv"])
    body = client.get(url).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    header = ["campaign", "organisation", "invited", "started", "submitted", "late", "status"]
    assert rows[0] == header
    by_org = {r[1]: r for r in rows[1:]}
    assert by_org["ALPHA"][6] == "submitted" and by_org["ALPHA"][4]
    assert by_org["Gamma"][2] == "yes" and by_org["Gamma"][3] == ""
    xlsx = client.get(reverse("collection:programme_tracking_export", args=["prog", "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][1] == "organisation" and len(values) == 4
    assert {v[6] for v in values[1:]} == {"submitted", "draft", "not started"}
    assert client.get(url.replace(".csv", ".pdf")).status_code == 404


def test_tracking_pages_and_access(client, world):
    campaign = _scenario(world)
    client.login(username=world.users["team"].username, password=PASSWORD)
    page = client.get(reverse("collection:tracking", args=["prog", campaign.pk]))
    assert page.status_code == 200
    assert 'data-stat="submitted">1<' in page.content.decode()
    overview = client.get(reverse("collection:programme_tracking", args=["prog"]))
    assert "Carnet de route n°1" in overview.content.decode()
    client.login(username=world.users["contributor"].username, password=PASSWORD)
    assert client.get(reverse("collection:tracking", args=["prog", campaign.pk])).status_code == 403


def test_exports_neutralise_formulas(client, world):
    campaign = _scenario(world)
    Organisation.objects.filter(name="Gamma").update(name='=HYPERLINK("http://evil.example")')
    client.force_login(world.users["facilitator"])
    url = reverse("collection:tracking_export", args=["prog", campaign.pk, "csv"])
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    assert '\'=HYPERLINK("http://evil.example")' in {r[1] for r in rows}
    xlsx = client.get(url.replace(".csv", ".xlsx"))
    assert xlsx["Content-Disposition"] == f'attachment; filename="prog-tracking-{campaign.pk}.xlsx"'
    cells = [c for row in openpyxl.load_workbook(io.BytesIO(xlsx.content)).active for c in row]
    hostile = [c for c in cells if str(c.value).startswith("=")]
    assert [(c.data_type, c.quotePrefix) for c in hostile] == [("s", True)]
