"""Consent per person and per use, export of what is held about a person, erasure that keeps
the analysis, and retention of original files."""

import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import models
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from recolte.access.models import AuditEvent
from recolte.coding import selectors
from recolte.coding.models import Coding, Consent, Quote
from recolte.coding.services import coding_create, quote_mark
from recolte.coding.tests.helpers import code
from recolte.collection.models import Resource, ResourceVersion
from recolte.collection.services import ResourceMeta, resource_create
from recolte.collection.tasks import send_campaign_reminders
from recolte.corpus.models import Passage
from recolte.corpus.pipeline import process_version
from recolte.corpus.search import passages_search
from recolte.privacy.models import Retention
from recolte.privacy.services import apply_retention, person_erase, person_export
from recolte.privacy.tasks import RETENTION_HOUR, apply_retention_task, schedule_retention
from recolte.registry.models import Person, QuoteConsent
from recolte.synthesis.assemble import attribution
from recolte.synthesis.evidence import load, withheld
from recolte.synthesis.models import (
    CampaignSynthesis,
    NodeText,
    Pseudonymise,
    Publication,
    Report,
)
from recolte.synthesis.publication import publish
from recolte.synthesis.services import generate
from recolte.testing import run_tasks

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
        version=resource.current,
        start=23,
        end=64,
        code=leaf,
        coder=world.users["facilitator"],
    )
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
    assert answer.status_code == 400 and "n’a pas consenti" in answer.content.decode()


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
        programme=world.programme,
        resource=resource,
        first_version=resource.current,
        version=resource.current,
        ordinal=0,
        start=0,
        end=len(TEXT),
        text=TEXT,
        text_sha256="-",
        speaker="Aminata Traoré",
    )
    marked.person_name = "Aminata T."
    marked.save()
    node = NodeText.objects.create(
        programme=world.programme, code=marked.coding.code, text="Selon Aminata Traoré, …"
    )
    synthesis = CampaignSynthesis.objects.create(
        campaign=world.programme.campaigns.create(
            title="Carnet", instrument="field_logbook", audience="all_members"
        ),
        text="Aminata",
        node_texts={"x": "Aminata TRAORÉ"},
    )
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
        programme=world.programme,
        text=f"Texte de {title}.",
        meta=meta,
        original=(f"{title}.txt", b"original bytes"),
    )
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


def _docx_text(file) -> str:
    with file.open("rb") as stream, zipfile.ZipFile(stream) as docx:
        return re.sub(r"<[^>]+>", "", docx.read("word/document.xml").decode("utf-8"))


def test_after_erasure_search_no_longer_finds_the_name(world):
    aminata = _person(world, "Aminata", "Traoré")
    resource, marked = _quoted(world, aminata)
    process_version(resource.current)
    (passage,) = Passage.objects.filter(resource=resource)
    Coding.objects.filter(pk=marked.coding_id).update(passage=passage)
    facilitator = world.users["facilitator"]

    def found(query: str) -> list[int]:
        results = passages_search(
            user=facilitator, programme=world.programme, query=query, mode="bm25"
        )
        return [hit.passage.pk for hit in results.hits]

    assert found("Traoré") and found("Aminata")  # the in-process index is built and cached
    person_erase(person=aminata, by=facilitator)
    assert found("Traoré") == [] and found("Aminata") == []
    assert found("dialogue commune")  # the rest of the passage is still indexed
    live = Passage.objects.filter(resource=resource, retired_in__isnull=True)
    assert all(hasattr(p, "vector") for p in live)  # the masked passages have vectors again
    coding = Coding.objects.get(pk=marked.coding_id)
    assert coding.passage in live and coding.passage != passage  # codings follow their passage


def test_erasure_regenerates_a_docx_only_report_and_its_publication(
    world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    aminata = _person(world, "Aminata", "Traoré", QuoteConsent.NAMED)
    _quoted(world, aminata, quote_consent=Consent.GIVEN)
    report = Report.objects.create(
        programme=world.programme, formats=["docx"], pseudonymise=Pseudonymise.FULL
    )
    generate(report)
    publish(report, by=world.users["facilitator"])
    assert "Traoré" in _docx_text(report.file("docx"))
    assert "Aminata" in _docx_text(report.publication.file("docx"))

    with django_capture_on_commit_callbacks(execute=True):  # the earlier snapshot's files go
        person_erase(person=aminata, by=world.users["facilitator"])
    report = Report.objects.get(pk=report.pk)
    text = _docx_text(report.file("docx"))
    assert "Traoré" not in text and "Aminata" not in text and f"P-{aminata.pk}" in text
    for stored in tmp_path.rglob("*.docx"):  # no earlier file left beside the new ones
        assert "Traoré" not in _docx_text(stored)
    assert "Aminata" not in _docx_text(report.publication.file("docx"))
    assert (
        report.file("html") is None and report.file("pdf") is None
    )  # only the formats that were generated


# Retention in the product and its schedule ----------------------------------------------------

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _retention_runs() -> list:
    return list(
        DBTaskResult.objects.filter(
            task_path=apply_retention_task.module_path, status=TaskResultStatus.READY
        ).values_list("run_after", flat=True)
    )


@override_settings(TASKS=DATABASE_TASKS)
def test_programme_page_edits_retention_with_validation(
    client, world, django_capture_on_commit_callbacks
):
    url = reverse("privacy:programme", args=["prog"])
    client.force_login(world.users["team"])  # the programme team edits the registry
    assert client.get(url).status_code == 200
    for bad in ("0", "-3", "1201", "douze"):
        answer = client.post(url, {"originals_months": bad, "transcripts_months": ""})
        assert answer.status_code == 400 and not Retention.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, {"originals_months": "24", "transcripts_months": ""})
    assert answer.status_code == 302
    setting = Retention.objects.get(programme=world.programme)
    assert (setting.originals_months, setting.transcripts_months) == (24, None)
    assert len(_retention_runs()) == 1  # saving starts the daily run
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"originals_months": "", "transcripts_months": "6"})
    setting.refresh_from_db()
    assert (setting.originals_months, setting.transcripts_months) == (None, 6)
    assert len(_retention_runs()) == 1  # still one run waiting
    assert AuditEvent.objects.filter(verb="change", target_type="privacy.retention").count() == 2
    dashboard = client.get(reverse("registry:dashboard", args=["prog"])).content.decode()
    assert url in dashboard
    client.force_login(world.users["contributor"])
    assert url not in client.get(reverse("registry:dashboard", args=["prog"])).content.decode()
    assert client.post(url, {"originals_months": "1"}).status_code == 403


@override_settings(TASKS=DATABASE_TASKS)
def test_each_retention_run_enqueues_the_next_for_tomorrow_once(world):
    assert schedule_retention() is not None  # e.g. the worker's first task
    assert schedule_retention() is None and len(_retention_runs()) == 1
    DBTaskResult.objects.all().delete()
    apply_retention_task.call()  # the run itself enqueues the next one
    (when,) = _retention_runs()
    assert timezone.localtime(when).date() == timezone.localdate() + timedelta(days=1)
    assert timezone.localtime(when).time() == RETENTION_HOUR
    apply_retention_task.call()  # another run while the next waits: still one
    assert len(_retention_runs()) == 1


@override_settings(TASKS=DATABASE_TASKS)
def test_a_worker_starting_any_task_starts_the_chain(world):
    send_campaign_reminders.enqueue(0)  # any task: here one with nothing to do
    run_tasks()
    assert len(_retention_runs()) == 1
