"""A publication is a snapshot: later edits and codings change nothing public until published
again, and nothing from a facilitators-only resource or a refused quotation reaches the portal."""

from datetime import UTC, datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from recolte.coding.models import Code, Consent
from recolte.coding.services import coding_create, quote_mark
from recolte.coding.tests.helpers import code
from recolte.collection.models import Confidentiality
from recolte.portal.tests.helpers import campaign_synthesis, client_for, finished_report, resource
from recolte.registry.models import Person
from recolte.testing import run_tasks

pytestmark = pytest.mark.django_db

SECRET = "Le directeur a détourné les fonds du puits."


def publish_button(world, obj, kind: str, verb: str = "publish"):
    url = reverse("portal:publish", args=[world.programme.slug, kind, obj.pk])
    return client_for(world, "facilitator").post(url, {"verb": verb}, follow=True)


def public_page(world, synthesis) -> str:
    url = reverse("portal:synthesis", args=[world.programme.slug, synthesis.pk])
    response = client_for(world, "anonymous").get(url)
    assert response.status_code == 200
    return response.content.decode()


def theme(world) -> Code:
    found = Code.objects.filter(programme=world.programme, key="eau").first()
    return found or code(world.programme, "eau", name="Accès à l'eau")


def mark(world, synthesis, sentence: str, level: str, consent: str = Consent.GIVEN) -> None:
    """A campaign response at `level`, coded whole and marked as a quote of Awa Diallo."""
    doc = resource(world, sentence, f"Réponse {level}", level)
    doc.campaign = synthesis.campaign
    doc.save()
    person = Person.objects.get_or_create(
        organisation=world.lead, first_name="Awa", last_name="Diallo"
    )[0]
    coding = coding_create(
        version=doc.current,
        start=0,
        end=len(sentence),
        code=theme(world),
        coder=world.users["facilitator"],
    )
    quote_mark(coding=coding, person=person, person_name="Awa Diallo", consent=consent)


def test_edits_after_publishing_stay_off_the_public_page_until_published_again(published):
    synthesis = campaign_synthesis(published, text="Première analyse publiée.")
    publish_button(published, synthesis, "synthesis")
    args = [published.programme.slug, synthesis.campaign.pk]
    campaign_url = reverse("synthesis:campaign", args=args)
    save = reverse("synthesis:campaign_save", args=args)
    staff = client_for(published, "facilitator")
    staff.post(save, {"key": "", "text": "Analyse remaniée.", "version": synthesis.version})
    mark(published, synthesis, "Les puits ont tout changé.", Confidentiality.PROGRAMME)

    body = public_page(published, synthesis)
    assert "Première analyse publiée." in body
    assert "Analyse remaniée." not in body and "Les puits ont tout changé." not in body
    assert 'id="changed-since-publication"' in staff.get(campaign_url).content.decode()

    publish_button(published, synthesis, "synthesis")  # publish again
    body = public_page(published, synthesis)
    assert "Analyse remaniée." in body and "Les puits ont tout changé." in body
    assert "Première analyse publiée." not in body
    assert 'id="changed-since-publication"' not in staff.get(campaign_url).content.decode()


def test_facilitators_only_quotes_never_reach_the_public_page(published):
    synthesis = campaign_synthesis(published, text="Analyse.")
    publish_button(published, synthesis, "synthesis")
    mark(published, synthesis, SECRET, Confidentiality.FACILITATORS)
    assert SECRET not in public_page(published, synthesis)  # marked after publishing

    answer = publish_button(published, synthesis, "synthesis")  # and published again
    assert SECRET not in public_page(published, synthesis)
    told = [str(m) for m in answer.context["messages"]]
    assert any("Réponse facilitators" in m and "facilitators-only" in m for m in told), told


def test_refused_quotations_are_left_out_and_reported(published):
    synthesis = campaign_synthesis(published)
    mark(
        published,
        synthesis,
        "Je ne veux pas être citée.",
        Confidentiality.PROGRAMME,
        Consent.REFUSED,
    )
    mark(published, synthesis, "Nous avons appris à négocier.", Confidentiality.PROGRAMME)
    answer = publish_button(published, synthesis, "synthesis")
    body = public_page(published, synthesis)
    assert "Je ne veux pas être citée." not in body
    assert "Nous avons appris à négocier." in body and "(Awa, ALPHA, France)" in body
    assert any("quotation refused" in str(m) for m in answer.context["messages"])


def test_withdrawing_removes_the_snapshot(published):
    synthesis = campaign_synthesis(published, text="Analyse publiée puis retirée.")
    publish_button(published, synthesis, "synthesis")
    publish_button(published, synthesis, "synthesis", "unpublish")
    url = reverse("portal:synthesis", args=[published.programme.slug, synthesis.pk])
    assert client_for(published, "anonymous").get(url).status_code == 404
    synthesis.refresh_from_db()
    assert not hasattr(synthesis, "publication")


def test_public_report_files_carry_no_facilitators_only_passage(published):
    synthesis = campaign_synthesis(published)
    mark(published, synthesis, SECRET, Confidentiality.FACILITATORS)
    mark(published, synthesis, "Les puits ont tout changé.", Confidentiality.PROGRAMME)
    report = finished_report(published, formats=["html", "md"])
    publish_button(published, report, "report")
    run_tasks()  # the public files render in a task
    anonymous = client_for(published, "anonymous")
    for fmt in ("html", "md"):
        url = reverse("portal:report_file", args=[published.programme.slug, report.pk, fmt])
        body = b"".join(anonymous.get(url).streaming_content).decode()
        assert "Les puits ont tout changé." in body and SECRET not in body


def test_migration_keeps_what_was_published_visible(published):
    migration = import_module("recolte.synthesis.migrations.0002_publication_snapshot")
    when = datetime(2024, 5, 1, tzinfo=UTC)
    synthesis = campaign_synthesis(
        published, text="Publiée avant les instantanés.", is_published=True, published_at=when
    )
    migration.snapshot_published(apps, None)
    assert "Publiée avant les instantanés." in public_page(published, synthesis)
    synthesis.refresh_from_db()
    assert synthesis.published_at == when == synthesis.publication.published_at
