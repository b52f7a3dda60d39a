"""Campaign syntheses and reports on the portal: published only, quotes pseudonymised."""

import pytest
from django.urls import reverse

from recolte.coding.models import Consent
from recolte.coding.services import coding_create, quote_mark
from recolte.coding.tests.helpers import code
from recolte.collection.models import Confidentiality
from recolte.portal.tests.helpers import (
    VISITORS,
    campaign_synthesis,
    client_for,
    finished_report,
    publish,
    resource,
)
from recolte.registry.models import Person
from recolte.synthesis.models import Pseudonymise

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("who", VISITORS)
def test_unpublished_synthesis_is_invisible(published, who):
    synthesis = campaign_synthesis(published, text="Analyse encore confidentielle.")
    client = client_for(published, who)
    slug = published.programme.slug
    for page in ("programme", "syntheses"):
        assert "Carnet de route" not in text(client.get(reverse(f"portal:{page}", args=[slug])))
    url = reverse("portal:synthesis", args=[slug, synthesis.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("who", VISITORS)
def test_published_synthesis_is_visible(published, who):
    synthesis = publish(campaign_synthesis(published, text="Les **leaders** ont *appris*."))
    client = client_for(published, who)
    slug = published.programme.slug
    for page in ("programme", "syntheses"):
        assert "Carnet de route" in text(client.get(reverse(f"portal:{page}", args=[slug])))
    page = client.get(reverse("portal:synthesis", args=[slug, synthesis.pk]))
    assert page.status_code == 200
    assert "<strong>leaders</strong>" in text(page) and "<em>appris</em>" in text(page)


def test_synthesis_markdown_cannot_inject_markup(published):
    synthesis = publish(campaign_synthesis(published, text="<script>alert(1)</script>"))
    page = client_for(published, "anonymous").get(
        reverse("portal:synthesis", args=[published.programme.slug, synthesis.pk])
    )
    assert "<script>alert" not in text(page) and "&lt;script&gt;" in text(page)


def _quoted(world, synthesis, sentence: str, consent: str):
    doc = resource(world, sentence, "Réponse", Confidentiality.PROGRAMME)
    doc.campaign = synthesis.campaign
    doc.save()
    person = Person.objects.create(
        organisation=world.lead, first_name="Awa", last_name="Diallo", role="coordinatrice"
    )
    theme = code(world.programme, "eau", name="Accès à l'eau")
    coding = coding_create(
        version=doc.current, start=0, end=len(sentence), code=theme, coder=world.users["admin"]
    )
    quote_mark(coding=coding, person=person, person_name="Awa Diallo", consent=consent)


def test_public_quotes_are_pseudonymised(published):
    synthesis = campaign_synthesis(published, node_texts={"eau": "Bilan."})
    _quoted(published, synthesis, "Le puits a tout changé pour nous.", Consent.GIVEN)
    publish(synthesis)
    page = client_for(published, "anonymous").get(
        reverse("portal:synthesis", args=[published.programme.slug, synthesis.pk])
    )
    body = text(page)
    assert "Le puits a tout changé pour nous." in body and "Accès à l&#x27;eau" in body
    assert "(Awa, ALPHA, France)" in body
    assert "Diallo" not in body


def test_quotes_of_unknown_consent_name_the_organisation_only(published):
    synthesis = campaign_synthesis(published)
    _quoted(published, synthesis, "Nous avons appris à négocier.", Consent.UNKNOWN)
    publish(synthesis)
    body = text(
        client_for(published, "anonymous").get(
            reverse("portal:synthesis", args=[published.programme.slug, synthesis.pk])
        )
    )
    assert "Nous avons appris à négocier." in body and "(ALPHA, France)" in body
    assert "Awa" not in body and "Diallo" not in body


@pytest.mark.parametrize("who", VISITORS)
def test_unpublished_report_is_invisible(published, who):
    report = finished_report(published)
    client = client_for(published, who)
    slug = published.programme.slug
    assert "Analyse transversale" not in text(client.get(reverse("portal:syntheses", args=[slug])))
    assert client.get(reverse("portal:report", args=[slug, report.pk])).status_code == 404
    pdf = reverse("portal:report_file", args=[slug, report.pk, "pdf"])
    assert client.get(pdf).status_code == 404


@pytest.mark.parametrize("who", VISITORS)
def test_published_report_is_downloadable(published, who):
    report = publish(finished_report(published))
    client = client_for(published, who)
    slug = published.programme.slug
    assert "Analyse transversale" in text(client.get(reverse("portal:programme", args=[slug])))
    page = client.get(reverse("portal:report", args=[slug, report.pk]))
    assert page.status_code == 200 and [f.key for f in page.context["formats"]] == ["pdf", "html"]
    pdf = client.get(reverse("portal:report_file", args=[slug, report.pk, "pdf"]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]
    html = client.get(reverse("portal:report_file", args=[slug, report.pk, "html"]))
    assert html.status_code == 200 and "attachment" not in html["Content-Disposition"]
    missing = reverse("portal:report_file", args=[slug, report.pk, "docx"])
    assert client.get(missing).status_code == 404


def test_unfinished_or_fully_named_reports_stay_private(published):
    running = publish(finished_report(published, status="running"))
    named = publish(finished_report(published, pseudonymise=Pseudonymise.FULL))
    client = client_for(published, "anonymous")
    for report in (running, named):
        url = reverse("portal:report", args=[published.programme.slug, report.pk])
        assert client.get(url).status_code == 404


def test_unmarked_passages_name_organisations_only_and_no_draft_is_shown(published):
    synthesis = campaign_synthesis(published)
    sentence = "Awa Diallo raconte que la coopérative a doublé ses ventes."
    doc = resource(published, sentence, "Réponse de Awa", Confidentiality.PROGRAMME)
    doc.campaign = synthesis.campaign
    doc.save()
    theme = code(published.programme, "ventes", name="Ventes")
    coding_create(
        version=doc.current, start=0, end=len(sentence), code=theme, coder=published.users["admin"]
    )
    publish(synthesis)
    page = client_for(published, "anonymous").get(
        reverse("portal:synthesis", args=[published.programme.slug, synthesis.pk])
    )
    nodes = page.context["nodes"]
    assert [(n.key, n.responses, n.organisations) for n in nodes] == [("ventes", 1, ["ALPHA"])]
    assert nodes[0].quotes[0].attribution == "ALPHA"
    assert nodes[0].analysis == ""  # no facilitator text: the draft stays inside the programme
    assert "Réponse de Awa" not in page.content.decode()
