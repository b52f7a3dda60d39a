"""Records of interviews, on-site meetings, workshops and videos: forms, pages, texts, access."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recolte.collection.demo_records import load_demo_records
from recolte.collection.ingest import IngestError
from recolte.collection.models import Record, Resource
from recolte.collection.services import RecordText, box_create, main_resource, record_save
from recolte.registry.models import Person

from . import fixtures_gen as fx
from . import hostile

VTT = (
    "WEBVTT\n\n"
    "00:00:02.000 --> 00:00:06.500\n<v Awa Traoré>Nous avons commencé par le maraîchage.\n\n"
    "00:01:10.000 --> 00:01:15.000\n<v Moussa>Puis la coopérative a acheté une pompe.\n"
).encode()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def awa(world):
    return Person.objects.create(organisation=world.lead, first_name="Awa", last_name="Traoré")


def url(world, name, *args):
    return reverse(f"collection:{name}", args=[world.programme.slug, *args])


def test_interview_with_a_transcript_file(client, world, awa):
    client.force_login(world.users["facilitator"])
    response = client.post(
        url(world, "record_create") + "?instrument=interview",
        {
            "title": "Entretien avec Awa",
            "date": "2025-03-04",
            "place": "Kayes",
            "organisations": [world.lead.pk],
            "pilot": world.pilot.pk,
            "people": [awa.pk],
            "interviewer": "Claire",
            "consent_given": "on",
            "confidentiality": "programme",
            "content_file": SimpleUploadedFile("entretien.docx", fx.docx_bytes()),
        },
    )
    record = Record.objects.get()
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()
    assert (record.instrument, record.consent_given, record.place) == ("interview", True, "Kayes")
    transcript = main_resource(record)
    assert transcript.kind == Resource.Kind.TRANSCRIPT and transcript.instrument == "interview"
    assert list(transcript.organisations.all()) == [world.lead]
    assert list(transcript.people.all()) == [awa] and transcript.pilot == world.pilot
    assert str(transcript.date) == "2025-03-04"
    assert "Les groupements ont présenté leurs résultats" in transcript.current.text
    page = client.get(record.get_absolute_url())
    assert "Awa Traoré" in page.text and "leurs résultats" in page.text


def test_a_bad_transcript_file_stores_nothing(client, world):
    """A file small enough to be read in the request is read before anything is written; a
    larger one is read by a task once the record is saved (test_uploads)."""
    client.force_login(world.users["facilitator"])
    response = client.post(
        url(world, "record_create") + "?instrument=interview",
        {
            "title": "Entretien raté",
            "confidentiality": "programme",
            "content_file": SimpleUploadedFile("bombe.docx", hostile.lying_bomb_docx(50)),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["content_file"]
    assert not Record.objects.exists() and not Resource.objects.exists()


def test_editing_a_pasted_transcript_makes_a_version_and_moves_provenance(world):
    record = Record(programme=world.programme, instrument="interview", title="Entretien")
    record_save(
        record=record,
        organisations=[world.lead],
        people=[],
        content=RecordText(text="Première saisie."),
    )
    record.date = None
    record_save(
        record=record,
        organisations=[world.partner],
        people=[],
        content=RecordText(text="Première saisie."),
    )
    transcript = main_resource(record)
    assert transcript.versions.count() == 1  # same text, no new version
    assert list(transcript.organisations.all()) == [world.partner]
    record_save(
        record=record,
        organisations=[world.partner],
        people=[],
        content=RecordText(text="Saisie corrigée."),
    )
    assert [v.number for v in transcript.versions.all()] == [1, 2]


def test_site_meeting_with_two_boxes(client, world):
    client.force_login(world.users["facilitator"])
    client.post(
        url(world, "record_create") + "?instrument=site_meeting",
        {
            "title": "Visite du périmètre maraîcher",
            "place": "Diéma",
            "organisations": [world.partner.pk],
            "other_participants": "Le chef de village\nLa présidente du groupement",
            "confidentiality": "programme",
            "content_text": "Nous avons visité les parcelles.\n\nLe puits fonctionne.",
        },
    )
    record = Record.objects.get()
    assert main_resource(record).kind == Resource.Kind.NOTES
    for title in ("Le tour d’eau", "La caisse commune"):
        client.post(url(world, "box_create", record.pk), {"title": title, "text": f"{title} …"})
    boxes = record.resources.filter(kind=Resource.Kind.BOX)
    assert sorted(boxes.values_list("title", flat=True)) == ["La caisse commune", "Le tour d’eau"]
    assert all(list(b.organisations.all()) == [world.partner] for b in boxes)
    page = client.get(record.get_absolute_url())
    assert "Le tour d’eau" in page.text and "La présidente du groupement" in page.text


def test_boxes_only_for_site_meetings(client, world):
    client.force_login(world.users["facilitator"])
    record = record_save(
        record=Record(programme=world.programme, instrument="workshop", title="Atelier"),
        organisations=[],
        people=[],
    )
    assert client.get(url(world, "box_create", record.pk)).status_code == 404


def test_workshop_minutes_from_an_odt_file(client, world):
    client.force_login(world.users["facilitator"])
    client.post(
        url(world, "record_create") + "?instrument=workshop",
        {
            "title": "Atelier de capitalisation",
            "confidentiality": "programme",
            "content_file": SimpleUploadedFile("cr.odt", fx.odt_bytes()),
        },
    )
    minutes = main_resource(Record.objects.get())
    assert minutes.kind == Resource.Kind.MINUTES and minutes.current.format == "odt"
    assert "Rapport d’étape" in minutes.current.text


def test_video_transcript_from_vtt_keeps_cues(client, world):
    client.force_login(world.users["facilitator"])
    response = client.post(
        url(world, "record_create") + "?instrument=video",
        {
            "title": "La pompe solaire",
            "link": "https://video.example.org/pompe",
            "confidentiality": "programme",
            "content_file": SimpleUploadedFile("pompe.vtt", VTT),
        },
    )
    assert response.status_code == 302
    transcript = main_resource(Record.objects.get())
    cues = transcript.current.extra["cues"]
    assert [c[0] for c in cues] == [2000, 70000] and cues[0][2] == "Awa Traoré"
    start, end = cues[1][3], cues[1][4]
    assert transcript.current.text[start:end].endswith("a acheté une pompe.")
    page = client.get(Record.objects.get().get_absolute_url())
    assert "<time>00:01:10</time>" in page.text


def test_video_needs_a_link_or_a_file_and_subtitles_for_its_transcript(client, world):
    client.force_login(world.users["facilitator"])
    target = url(world, "record_create") + "?instrument=video"
    missing = client.post(target, {"title": "Sans lien", "confidentiality": "programme"})
    assert "link" in missing.context["form"].errors
    wrong = client.post(
        target,
        {
            "title": "Mauvais fichier",
            "link": "https://video.example.org/x",
            "confidentiality": "programme",
            "content_file": SimpleUploadedFile("cr.docx", fx.docx_bytes()),
        },
    )
    assert "content_file" in wrong.context["form"].errors
    assert not Record.objects.exists()


def test_video_file_is_stored_and_flagged_until_transcribed(world):
    record = Record(programme=world.programme, instrument="video", title="Film")
    record_save(record=record, organisations=[], people=[], video=("film.mp4", b"\0\0\0 ftyp"))
    video = record.resources.get()
    assert video.current.needs_transcript and video.current.format == "mp4"
    with pytest.raises(IngestError):
        record_save(record=record, organisations=[], people=[], video=("film.exe", b"MZ"))
    assert record.resources.count() == 1


def test_record_access(client, world):
    hidden = record_save(
        record=Record(programme=world.programme, instrument="interview", title="Confidentiel"),
        organisations=[world.partner],
        people=[],
        content=RecordText(text="Propos internes."),
    )
    mine = record_save(
        record=Record(programme=world.programme, instrument="interview", title="Le nôtre"),
        organisations=[world.lead],
        people=[],
    )
    box_create(record=mine, title="Encadré", text="Texte.")
    client.force_login(world.users["contributor"])
    listing = client.get(url(world, "records"))
    assert "Le nôtre" in listing.text and "Confidentiel" not in listing.text
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(url(world, "record_create") + "?instrument=interview").status_code == 403
    assert client.get(url(world, "record_edit", mine.pk)).status_code == 403


def test_records_list_filters_by_instrument_and_unknown_instrument_is_404(client, world):
    for instrument, title in (("interview", "Entretien A"), ("workshop", "Atelier B")):
        record_save(
            record=Record(programme=world.programme, instrument=instrument, title=title),
            organisations=[],
            people=[],
        )
    client.force_login(world.users["facilitator"])
    listing = client.get(url(world, "records"), {"instrument": "workshop"})
    assert "Atelier B" in listing.text and "Entretien A" not in listing.text
    assert client.get(url(world, "record_create") + "?instrument=campaign").status_code == 404
    for instrument in ("interview", "site_meeting", "workshop", "seminar", "video"):
        form = client.get(url(world, "record_create") + f"?instrument={instrument}")
        assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text


def test_demo_records_load_once(world):
    world.lead.acronym = "GRDR"
    world.lead.save()
    load_demo_records(world.programme)
    load_demo_records(world.programme)
    assert Record.objects.count() == 5
    grdr = Record.objects.get(instrument="interview", organisations=world.lead)
    assert "comité de pilotage" in main_resource(grdr).current.text
    meeting = Record.objects.get(instrument="site_meeting")
    assert meeting.resources.filter(kind=Resource.Kind.BOX).count() == 2
    video = main_resource(Record.objects.get(instrument="video"))
    assert len(video.current.extra["cues"]) == 3 and video.current.format == "vtt"
