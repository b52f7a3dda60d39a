"""Bulk import: walks folders, carries on past bad files, reports every outcome."""

import pytest
from django.utils import translation

from recolte.collection.models import Resource
from recolte.collection.services import ResourceMeta, files_import
from recolte.collection.services.importing import collect_files

from . import fixtures_gen as fx


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "depot"
    (root / "sous-dossier").mkdir(parents=True)
    (root / ".cache").mkdir()
    (root / "atelier.docx").write_bytes(fx.docx_bytes())
    (root / "copie.docx").write_bytes((root / "atelier.docx").read_bytes())
    (root / "notes.txt").write_bytes("Visite à Ségou : réunion réussie.".encode("cp1252"))
    (root / "sous-dossier" / "rapport.pdf").write_bytes(fx.pdf_bytes([[fx.FRENCH]], "Bilan"))
    (root / "sous-dossier" / "vide.md").write_bytes(b"")
    (root / "sous-dossier" / "bombe.docx").write_bytes(fx.docx_zip_bomb(300))
    (root / ".cache" / "cache.txt").write_text("ignoré")
    (root / ".cache.txt").write_text("ignoré")
    return root


def test_collect_files_walks_in_order_and_skips_hidden(folder, tmp_path):
    files, missing = collect_files([folder, tmp_path / "absent.docx"])
    names = [p.relative_to(folder).as_posix() for p in files]
    assert names == [
        "atelier.docx",
        "copie.docx",
        "notes.txt",
        "sous-dossier/bombe.docx",
        "sous-dossier/rapport.pdf",
        "sous-dossier/vide.md",
    ]
    assert [m.status for m in missing] == ["failed"]


def test_import_reports_imported_duplicates_and_failures(world, folder, tmp_path):
    seen = []
    report = files_import(
        [folder, tmp_path / "absent.docx"],
        programme=world.programme,
        meta=ResourceMeta(organisations=[world.lead], confidentiality="programme"),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen[-1] == (6, 6) and len(seen) == 6
    assert report.files == 6
    assert sorted(p.rsplit("/", 1)[-1] for p in report.imported) == [
        "atelier.docx",
        "notes.txt",
        "rapport.pdf",
    ]
    assert [p.rsplit("/", 1)[-1] for p in report.duplicates] == ["copie.docx"]
    reasons = {name.rsplit("/", 1)[-1]: reason for name, reason in report.failed}
    assert set(reasons) == {"absent.docx", "bombe.docx", "vide.md"}
    assert all(reasons.values())
    assert Resource.objects.count() == 3
    assert all(list(r.organisations.all()) == [world.lead] for r in Resource.objects.all())
    notes = Resource.objects.get(versions__original_name="notes.txt")
    assert notes.current.text == "Visite à Ségou : réunion réussie."
    counts = report.as_dict()
    assert (counts["imported"], counts["duplicates"], len(counts["failed"])) == (3, 1, 3)


def test_a_second_run_only_finds_duplicates(world, folder):
    meta = ResourceMeta()
    files_import([folder], programme=world.programme, meta=meta)
    again = files_import([folder], programme=world.programme, meta=meta)
    assert again.imported == [] and len(again.duplicates) == 4
    assert Resource.objects.count() == 3


def test_files_over_the_limit_are_not_read(world, tmp_path):
    big = tmp_path / "gros.txt"
    big.write_bytes(b"a" * 4096)
    with translation.override("en"):
        report = files_import([big], programme=world.programme, meta=ResourceMeta(), max_bytes=1024)
    assert report.failed and "limit" in report.failed[0][1]
    assert not Resource.objects.exists()


def test_parallel_extraction_gives_the_same_result(world, folder):
    report = files_import([folder], programme=world.programme, meta=ResourceMeta(), workers=2)
    assert (len(report.imported), len(report.duplicates), len(report.failed)) == (3, 1, 2)
    texts = {r.current.original_name: r.current.text for r in Resource.objects.all()}
    assert texts["notes.txt"] == "Visite à Ségou : réunion réussie."
    assert "Les groupements ont présenté leurs résultats" in texts["atelier.docx"]
