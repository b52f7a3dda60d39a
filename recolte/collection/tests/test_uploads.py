"""Uploads above the inline size are stored, then read by a task: the page answers at once,
shows the reading, and the result is what reading in the request gave."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from recolte.collection import services as svc
from recolte.collection.models import Answer, PendingMail, Record, Resource, Upload
from recolte.collection.tests import fixtures_gen as fx
from recolte.collection.tests import hostile
from recolte.collection.tests.campaign_fixtures import first_question, logbook
from recolte.collection.tests.test_answering import _docx
from recolte.collection.tests.test_mail_import import mail, senders  # noqa: F401 (fixture)
from recolte.testing import run_tasks

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
QUESTION = "1. Quelles coopérations avez-vous nouées ce trimestre ?"


@pytest.fixture(autouse=True)
def read_later(settings):
    """Every upload goes to the task queue; no worker runs until `work` is called."""
    settings.TASKS = DATABASE
    settings.RECOLTE_UPLOAD_INLINE_BYTES = 0


@pytest.fixture
def no_parsing(monkeypatch):
    """Fails the test if a file is extracted inside the request."""

    def refuse(*args, **kwargs):
        raise AssertionError("a file was parsed inside the request")

    for module in ("resources", "importing", "inbox", "docx_matching", "records"):
        monkeypatch.setattr(f"recolte.collection.services.{module}.extract", refuse)
    return monkeypatch


def work() -> None:
    """A worker started later (it was down when the files arrived) reads what waits."""
    run_tasks()


def _upload(client, world, *files):
    client.force_login(world.users["facilitator"])
    return client.post(
        reverse("collection:resource_upload", args=[world.programme.slug]),
        {
            "files": list(files),
            "kind": "document",
            "organisations": [world.lead.pk],
            "confidentiality": "programme",
        },
    )


def test_library_upload_returns_before_reading_then_the_task_stores_it(client, world, no_parsing):
    text = "Compte rendu de la visite à Kayes."
    response = _upload(client, world, SimpleUploadedFile("bon.txt", text.encode()))
    uploads_url = reverse("collection:uploads", args=[world.programme.slug])
    assert response.status_code == 302 and response["Location"] == uploads_url
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.PENDING and not Resource.objects.exists()
    task = DBTaskResult.objects.get()
    assert task.task_path.endswith("read_upload") and task.args_kwargs["args"] == [upload.pk]
    page = client.get(uploads_url)
    assert 'data-status="pending"' in page.text and 'hx-trigger="every 2s"' in page.text

    no_parsing.undo()
    work()
    stored = Resource.objects.get()
    # What reading in the request stored (test_library.test_upload_stores_good_files…).
    assert stored.title == text and stored.current.text == text
    assert list(stored.organisations.all()) == [world.lead]
    assert stored.current.original_name == "bon.txt"
    upload.refresh_from_db()
    assert upload.status == Upload.Status.DONE and not upload.file
    page = client.get(uploads_url, headers={"HX-Request": "true"})
    assert stored.get_absolute_url() in page.text and "hx-trigger" not in page.text


def test_hostile_file_ends_failed_with_its_message(client, world):
    response = _upload(client, world, SimpleUploadedFile("bombe.docx", hostile.lying_bomb_docx(50)))
    assert response.status_code == 302
    work()
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.FAILED and upload.message
    assert not Resource.objects.exists()
    page = client.get(reverse("collection:uploads", args=[world.programme.slug]))
    assert page.status_code == 200
    assert 'data-status="failed"' in page.text and escape(upload.message) in page.text


def test_mail_import_is_read_by_the_task(client, senders, no_parsing):  # noqa: F811
    client.force_login(senders.users["facilitator"])
    response = client.post(
        reverse("collection:mail_import", args=[senders.programme.slug]),
        {
            "files": [
                SimpleUploadedFile("a.eml", mail("awa@alpha.example", "Bonjour", "Message.")),
                SimpleUploadedFile("b.eml", mail("qui@nulle.part", "Inconnu", "Message 2.")),
            ],
            "confidentiality": "programme",
        },
    )
    assert response.status_code == 302 and not Resource.objects.exists()
    no_parsing.undo()
    work()
    outcomes = [Resource.objects.get().title, PendingMail.objects.get().subject]
    assert outcomes == ["Bonjour", "Inconnu"]
    assert list(Resource.objects.get().organisations.all()) == [senders.lead]


def test_invitation_docx_shows_reading_then_the_answers(client, world, no_parsing):
    campaign = logbook(world)
    _invitation, token = svc.invitation_issue(
        campaign=campaign, organisation=world.lead, email="awa@alpha.example"
    )
    client.post(reverse("set_language"), {"language": "en"})
    data = _docx([("p", QUESTION), ("p", "Trois.")])
    response = client.post(
        reverse("collection:invitation_docx", args=[token]),
        {"file": SimpleUploadedFile("reponse.docx", data)},
        follow=True,
    )
    assert response.status_code == 200 and "Reading your document…" in response.text
    assert not Answer.objects.exists()
    reading_url = reverse("collection:invitation_reading", args=[token])
    polled = client.get(reading_url, headers={"HX-Request": "true"})
    assert "Reading your document…" in polled.text and "HX-Refresh" not in polled.headers

    no_parsing.undo()
    work()
    assert client.get(reading_url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"
    page = client.get(reverse("collection:invitation", args=[token]))
    assert "1 answer(s) read from the document" in page.text
    assert "Questions not found in the document" in page.text
    assert Answer.objects.get(question=first_question(campaign)).text == "Trois."


def test_invitation_docx_that_is_not_a_document_shows_failed(client, world):
    campaign = logbook(world)
    _invitation, token = svc.invitation_issue(
        campaign=campaign, organisation=world.lead, email="awa@alpha.example"
    )
    client.post(reverse("set_language"), {"language": "en"})
    client.post(
        reverse("collection:invitation_docx", args=[token]),
        {"file": SimpleUploadedFile("reponse.docx", b"not a document at all")},
    )
    work()
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.FAILED
    page = client.get(reverse("collection:invitation", args=[token]))
    assert page.status_code == 200 and escape(upload.message) in page.text
    assert not Answer.objects.exists()


def _record(client, world, instrument, file):
    client.force_login(world.users["facilitator"])
    return client.post(
        reverse("collection:record_create", args=[world.programme.slug])
        + f"?instrument={instrument}",
        {
            "title": "Entretien avec la coopérative",
            "organisations": [world.lead.pk],
            "confidentiality": "programme",
            "link": "https://video.example.org/pompe",  # a video needs a link or a file
            "content_file": file,
        },
    )


def test_record_saved_at_once_then_its_transcript_read_by_the_task(client, world, no_parsing):
    response = _record(
        client, world, "interview", SimpleUploadedFile("entretien.docx", fx.docx_bytes())
    )
    record = Record.objects.get()
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()
    assert not Resource.objects.exists()
    upload = Upload.objects.get()
    assert (upload.purpose, upload.record, upload.status) == ("record", record, "pending")
    page = client.get(record.get_absolute_url())
    assert "entretien.docx" in page.text and 'hx-trigger="every 2s"' in page.text

    no_parsing.undo()
    work()
    transcript = svc.main_resource(record)
    assert transcript.kind == Resource.Kind.TRANSCRIPT
    assert list(transcript.organisations.all()) == [world.lead]
    assert "Les groupements ont présenté leurs résultats" in transcript.current.text
    assert transcript.current.original_name == "entretien.docx"
    page = client.get(record.get_absolute_url(), headers={"HX-Request": "true"})
    assert "leurs résultats" in page.text and "hx-trigger" not in page.text


@pytest.mark.parametrize(
    "instrument, file",
    [
        ("interview", SimpleUploadedFile("bombe.docx", hostile.lying_bomb_docx(50))),
        ("video", SimpleUploadedFile("cr.docx", fx.docx_bytes())),  # subtitles expected
    ],
)
def test_record_transcript_that_cannot_be_read_shows_why(client, world, instrument, file):
    _record(client, world, instrument, file)
    work()
    record, upload = Record.objects.get(), Upload.objects.get()
    assert upload.status == Upload.Status.FAILED and upload.message
    assert not Resource.objects.exists()
    page = client.get(record.get_absolute_url())
    assert escape(upload.message) in page.text and "record-reading" in page.text
