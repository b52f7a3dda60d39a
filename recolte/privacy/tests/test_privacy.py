"""Consent per person and per use, export of what is held about a person, erasure that keeps
the analysis, and retention of original files."""

import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone

from recolte.access.models import AuditEvent
from recolte.coding import selectors
from recolte.coding.models import Consent, Quote
from recolte.coding.services import coding_create, quote_mark
from recolte.coding.tests.helpers import code
from recolte.collection.models import Resource, ResourceVersion
from recolte.collection.services import ResourceMeta, resource_create
from recolte.corpus.models import Passage
from recolte.privacy.models import Retention
from recolte.privacy.services import apply_retention, person_export
from recolte.registry.models import Person, QuoteConsent
from recolte.synthesis.assemble import attribution
from recolte.synthesis.evidence import load, withheld
from recolte.synthesis.models import CampaignSynthesis, NodeText, Publication

TEXT = "Aminata Traoré a dit : le dialogue avec la commune a tout changé. Merci Aminata."
OTHER = "Moussa Keita raconte la fin du projet."


def _person(world, first: str, last: str, consent: str = QuoteConsent.UNKNOWN) -> Person:
    return Person.objects.create(
        organisation=world.lead, first_name=first, last_name=last, quote_consent=consent
    )


def _quoted(world, person: Person, text: str = TEXT, quote_consent: str = Consent.UNKNOWN):
    meta = ResourceMeta(title="Entretien", organisations=[world.lead], people=[person])
    resource = resource_create(programme=world.programme, text=text, meta=meta)
    root = code(world.programme, f"r{resource.pk}", codable=False)
    leaf = code(world.programme, f"r{resource.pk}.x", root)
    coding = coding_create(
        version=resource.current, start=23, end=64, code=leaf,
        coder=world.users["facilitator"],
    )  # fmt: skip
    return resource, quote_mark(coding=coding, person=person, consent=quote_consent)


def _info(world, quote: Quote):
    (item,) = [i for i in load(world.programme) if i.coding_id == quote.coding_id]
    return item


# Consent ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "quote", "named", "kept"),
    [
        (QuoteConsent.NAMED, Consent.UNKNOWN, True, True),
        (QuoteConsent.NAMED, Consent.REFUSED, False, False),  # the quote may be stricter
        (QuoteConsent.ANONYMOUS, Consent.GIVEN, False, True),  # never looser than the person
        (QuoteConsent.UNKNOWN, Consent.GIVEN, True, True),  # nothing recorded: the quote decides
    ],
)
def test_reports_use_the_persons_consent_made_stricter_by_the_quote(
    world, person, quote, named, kept
):
    aminata = _person(world, "Aminata", "Traoré", person)
    _resource, marked = _quoted(world, aminata, quote_consent=quote)
    item = _info(world, marked)
    assert (attribution(item.quote, "full").person == "Aminata Traoré") is named
    assert (withheld(item) == "") is kept


def test_no_quotation_refuses_the_quote_and_withholds_older_ones(client, world):
    aminata = _person(world, "Aminata", "Traoré", QuoteConsent.NAMED)
    _resource, marked = _quoted(world, aminata)
    aminata.quote_consent = QuoteConsent.NONE
    aminata.save()
    assert withheld(_info(world, marked))  # marked before the refusal: out of every report
    with pytest.raises(ValidationError):
        quote_mark(coding=marked.coding, person=aminata)
    client.force_login(world.users["facilitator"])
    url = reverse("coding:coding_detail", args=["prog", marked.coding_id])
    answer = client.post(url, {"person": aminata.pk, "consent": Consent.GIVEN})
    assert answer.status_code == 400 and "did not consent" in answer.content.decode()


# Export ----------------------------------------------------------------------------------------


def test_export_holds_the_persons_data_and_nothing_of_others(client, world):
    aminata = _person(world, "Aminata", "Traoré")
    moussa = _person(world, "Moussa", "Keita")
    _quoted(world, aminata)
    _quoted(world, moussa, text=OTHER.ljust(70, "."))
    data = person_export(person=aminata)
    dumped = json.dumps(data, ensure_ascii=False)
    assert data["person"]["last_name"] == "Traoré" and data["quotes"][0]["text"] == TEXT[23:64]
    assert data["resources"][0]["text"] == TEXT and data["codings"]
    assert "Moussa" not in dumped and "Keita" not in dumped
    client.force_login(world.users["facilitator"])
    url = reverse("privacy:person_export", args=["prog", aminata.pk])
    assert json.loads(client.get(url).content)["person"]["id"] == aminata.pk
    assert AuditEvent.objects.filter(verb="export", target_id=str(aminata.pk)).exists()
    client.force_login(world.users["team"])
    assert client.get(url).status_code == 403


# Erasure ---------------------------------------------------------------------------------------


def _columns_holding(needle: str) -> list[str]:
    """Every text or JSON column of the project's tables that still holds `needle`."""
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("recolte."):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                if model.objects.filter(**{f"{field.name}__icontains": needle}).exists():
                    found.append(f"{model.__name__}.{field.name}")
            elif isinstance(field, models.JSONField):
                values = model.objects.values_list(field.name, flat=True)
                if any(needle.lower() in json.dumps(v, ensure_ascii=False).lower() for v in values):
                    found.append(f"{model.__name__}.{field.name}")
    return found


def test_erasure_removes_the_name_everywhere_and_keeps_the_analysis(client, world):
    aminata = _person(world, "Aminata", "Traoré")
    moussa = _person(world, "Moussa", "Keita")
    resource, marked = _quoted(world, aminata)
    Passage.objects.create(
        programme=world.programme, resource=resource, first_version=resource.current,
        version=resource.current, ordinal=0, start=0, end=len(TEXT), text=TEXT,
        text_sha256="-", speaker="Aminata Traoré",
    )  # fmt: skip
    marked.person_name = "Aminata T."
    marked.save()
    node = NodeText.objects.create(
        programme=world.programme, code=marked.coding.code, text="Selon Aminata Traoré, …"
    )
    synthesis = CampaignSynthesis.objects.create(
        campaign=world.programme.campaigns.create(title="Carnet", instrument="field_logbook",
                                                  audience="all_members"),
        text="Aminata", node_texts={"x": "Aminata TRAORÉ"},
    )  # fmt: skip
    Publication.objects.create(
        synthesis=synthesis, content={"quotes": [{"attribution": "Aminata, ALPHA"}]}
    )
    _quoted(world, moussa, text=OTHER.ljust(70, "."))
    before = selectors.frequencies(world.programme)
    spans = [(c.pk, c.start, c.end) for c in marked.coding.version.codings.all()]
    assert _columns_holding("Traoré") and _columns_holding("Aminata")

    client.force_login(world.users["facilitator"])
    url = reverse("privacy:person_erase", args=["prog", aminata.pk])
    assert client.post(url, {"confirm": "Someone else"}).status_code == 400
    assert client.post(url, {"confirm": "aminata traoré"}).status_code == 302

    assert _columns_holding("Traoré") == []
    assert _columns_holding("Aminata") == []
    assert _columns_holding("Keita")  # someone else's data is untouched
    after = selectors.frequencies(world.programme)
    assert [(r["code"].pk, r["codings"], r["passages"]) for r in after] == [
        (r["code"].pk, r["codings"], r["passages"]) for r in before
    ]
    version = ResourceVersion.objects.get(pk=resource.current.pk)
    assert len(version.text) == len(TEXT)  # offsets of every coding stay true
    assert [(c.pk, c.start, c.end) for c in version.codings.all()] == spans
    assert version.text[23:64] == TEXT[23:64]
    node.refresh_from_db()
    assert "P-" in node.text
    assert AuditEvent.objects.filter(verb="erase", target_id=str(aminata.pk)).exists()


def test_erase_command_needs_confirmation(world):
    aminata = _person(world, "Aminata", "Traoré")
    with pytest.raises(Exception, match="--yes"):
        call_command("person-erase", str(aminata.pk))
    call_command("person-erase", str(aminata.pk), "--yes")
    aminata.refresh_from_db()
    assert aminata.first_name == f"P-{aminata.pk}" and aminata.last_name == ""


# Retention -------------------------------------------------------------------------------------


def _with_original(world, title: str, kind: str, age_days: int) -> ResourceVersion:
    meta = ResourceMeta(title=title, kind=kind)
    resource = resource_create(
        programme=world.programme, text=f"Texte de {title}.", meta=meta,
        original=(f"{title}.txt", b"original bytes"),
    )  # fmt: skip
    version = resource.current
    ResourceVersion.objects.filter(pk=version.pk).update(
        created=timezone.now() - timedelta(days=age_days)
    )
    return ResourceVersion.objects.get(pk=version.pk)


def test_retention_deletes_only_old_originals(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    old = _with_original(world, "vieux", Resource.Kind.DOCUMENT, 400)
    recent = _with_original(world, "recent", Resource.Kind.DOCUMENT, 100)
    transcript = _with_original(world, "transcription", Resource.Kind.TRANSCRIPT, 100)
    assert apply_retention() == 0  # no setting: kept for good
    Retention.objects.create(programme=world.programme, originals_months=12, transcripts_months=3)
    assert apply_retention() == 2
    for version, kept in [(old, False), (recent, True), (transcript, False)]:
        path = tmp_path / version.original.name
        version.refresh_from_db()
        assert bool(version.original) is kept and path.exists() is kept
        assert version.text.startswith("Texte de")  # the normalised text stays
    assert AuditEvent.objects.filter(verb="delete").count() == 2
    call_command("apply_retention")  # the cron twin: nothing left to delete
