"""The storing verbs of services.py: immutable versions, dedupe by hash, nothing half-stored."""

import hashlib

import pytest

from recolte.collection.models import Resource, ResourceVersion
from recolte.collection.services import (
    ResourceMeta,
    find_duplicate,
    resource_add_file,
    resource_create,
    resource_new_version,
)

from . import fixtures_gen as fx


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_text_is_normalised_once_and_offsets_are_code_points(world):
    decomposed = "Re\u0301union a\u0300 Se\u0301gou\r\n\r\n\ufeffFin."
    resource = resource_create(
        programme=world.programme, text=decomposed, meta=ResourceMeta(title="Réunion")
    )
    text = resource.current.text
    assert text == "Réunion à Ségou\n\nFin."
    assert text[8:9] == "à"  # one code point, not two
    assert resource.current.text_sha256 == hashlib.sha256(text.encode()).hexdigest()


def test_a_new_version_only_when_the_text_changes(world):
    user = world.users["facilitator"]
    resource = resource_create(
        programme=world.programme, text="Premier état.", meta=ResourceMeta(title="Note"), by=user
    )
    first = resource.current
    same = resource_new_version(resource=resource, text="Premier état.\r\n", by=user)
    assert same.pk == first.pk and resource.versions.count() == 1
    second = resource_new_version(resource=resource, text="Second état.", by=user)
    assert (second.number, resource.versions.count()) == (2, 2)
    first.refresh_from_db()
    assert first.text == "Premier état."  # the old version is untouched
    assert resource.current.pk == second.pk and second.created_by == user


def test_same_file_twice_is_a_duplicate(world, media):
    data = fx.docx_bytes()
    meta = ResourceMeta(organisations=[world.lead])
    first = resource_add_file(programme=world.programme, data=data, filename="a.docx", meta=meta)
    again = resource_add_file(programme=world.programme, data=data, filename="b.docx", meta=meta)
    assert first.status == "imported" and again.status == "duplicate"
    assert again.resource == first.resource
    assert Resource.objects.count() == 1 and len(stored_files(media)) == 1
    sha = hashlib.sha256(data).hexdigest()
    assert find_duplicate(programme=world.programme, original_sha256=sha) == first.resource
    # Another programme keeps its own copy.
    other = resource_add_file(
        programme=world.other_programme, data=data, filename="a.docx", meta=ResourceMeta()
    )
    assert other.status == "imported"


def test_imported_file_keeps_original_and_provenance(world, media):
    meta = ResourceMeta(organisations=[world.lead], pilot_id=world.pilot.pk)
    data = fx.docx_bytes()
    outcome = resource_add_file(
        programme=world.programme, data=data, filename="atelier.docx", meta=meta
    )
    resource = outcome.resource
    version = resource.current
    assert resource.title == "Atelier de Ségou"
    assert list(resource.organisations.all()) == [world.lead] and resource.pilot == world.pilot
    assert version.format == "docx" and version.original_name == "atelier.docx"
    with version.original.open("rb") as handle:
        assert handle.read() == data
    assert version.original_sha256 == hashlib.sha256(data).hexdigest()
    assert version.extra["notes"][0]["text"] == "Préciser lesquels."


@pytest.mark.parametrize(
    ("data", "name", "code", "limit"),
    [
        (b"", "vide.txt", "empty", None),
        (fx.docx_zip_bomb(300), "bombe.docx", "zip_bomb", None),
        (fx.pdf_bytes([[fx.FRENCH]]), "rapport.docx", "type_mismatch", None),
        (b"x" * 2048, "gros.txt", "too_large", 1024),
    ],
    ids=["empty", "zip-bomb", "type-mismatch", "too-large"],
)
def test_nothing_is_stored_when_a_file_fails(world, media, data, name, code, limit):
    outcome = resource_add_file(
        programme=world.programme, data=data, filename=name, meta=ResourceMeta(), max_bytes=limit
    )
    assert outcome.status == "failed" and outcome.error.code == code
    assert outcome.error.message
    assert not Resource.objects.exists() and not ResourceVersion.objects.exists()
    assert stored_files(media) == []


def test_pdf_without_text_layer_is_stored_and_flagged(world):
    outcome = resource_add_file(
        programme=world.programme,
        data=fx.pdf_bytes([[]]),
        filename="scan.pdf",
        meta=ResourceMeta(title="Scan"),
    )
    assert outcome.status == "imported"
    assert outcome.resource.current.needs_transcript
