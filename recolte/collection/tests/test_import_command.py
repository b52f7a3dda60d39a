"""`recolte import`: options, progress on stderr, the final report."""

import importlib
import io
import json

import pytest
from django.core.management import CommandError, call_command

from recolte.collection.models import Campaign, Resource
from recolte.registry.models import Programme

# "import" is a keyword, so the command module is reached by name.
ProgressBar = importlib.import_module("recolte.collection.management.commands.import").ProgressBar


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "lot"
    root.mkdir()
    for number in range(3):
        (root / f"note{number}.md").write_text(f"# Note {number}\n\nTexte numéro {number}.\n")
    (root / "vide.txt").write_bytes(b"")
    return root


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_with_provenance_options(world, folder):
    campaign = Campaign.objects.create(
        programme=world.programme,
        title="Carnet de route n°2",
        instrument="field_logbook",
        audience="all_members",
    )
    out, err = run(
        str(folder),
        "--programme",
        "prog",
        "--campaign",
        "carnet de route n°2",
        "--org",
        "alpha",
        "--confidentiality",
        "facilitators",
    )
    assert "Imported: 3" in out and "Failed: 1" in out and "vide.txt" in out
    assert "4/4" in err and "files/s" in err
    resource = Resource.objects.get(title="Note 1")
    assert resource.campaign == campaign and resource.instrument == "field_logbook"
    assert list(resource.organisations.all()) == [world.lead]
    assert resource.confidentiality == "facilitators"


def test_json_report_and_duplicates(world, folder):
    run(str(folder), "--programme", "prog")
    out, _ = run(str(folder), "--programme", "prog", "--json")
    report = json.loads(out)
    assert (report["files"], report["imported"], report["duplicates"]) == (4, 0, 3)
    assert [f["file"].rsplit("/", 1)[-1] for f in report["failed"]] == ["vide.txt"]


def test_programme_defaults_to_the_only_one(db, folder):
    Programme.objects.create(slug="seul", name="Seul", start_year=2020, end_year=2021)
    out, _ = run(str(folder))
    assert "Imported: 3" in out
    assert set(Resource.objects.values_list("programme__slug", flat=True)) == {"seul"}


def test_bad_options_are_refused(world, folder):
    with pytest.raises(CommandError, match="--programme"):
        run(str(folder))  # two programmes exist
    with pytest.raises(CommandError, match="organisation"):
        run(str(folder), "--programme", "prog", "--org", "NOPE")
    with pytest.raises(CommandError, match="campaign"):
        run(str(folder), "--programme", "prog", "--campaign", "99")
    assert not Resource.objects.exists()


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_redraws_in_place_on_a_terminal():
    stream = FakeTTY()
    bar = ProgressBar(stream, width=10)
    bar(5, 10)
    bar(10, 10)
    lines = stream.getvalue()
    assert lines.startswith("\r[#####.....] 5/10") and lines.endswith("\n")
    assert "\r[##########] 10/10" in lines and lines.count("\n") == 1


def test_progress_bar_prints_periodic_lines_in_a_log():
    stream = io.StringIO()
    bar = ProgressBar(stream, width=4, every=3600)
    for done in range(1, 101):
        bar(done, 100)
    lines = stream.getvalue().splitlines()
    assert lines == [lines[0], lines[-1]] and lines[-1].startswith("[####] 100/100")
    assert "\r" not in stream.getvalue()


def test_links_leading_out_of_the_folder_are_skipped_and_reported(world, folder, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("# Secret\n\nHors du dossier.\n")
    (folder / "fuite.md").symlink_to(secret)
    (folder / "alias.md").symlink_to(folder / "note0.md")  # stays inside: imported as usual
    (tmp_path / "ailleurs").mkdir()
    (tmp_path / "ailleurs" / "autre.md").write_text("# Autre\n\nAilleurs.\n")
    (folder / "dossier-lie").symlink_to(tmp_path / "ailleurs")
    out, _ = run(str(folder), "--programme", "prog", "--json")
    report = json.loads(out)
    assert [f["file"].rsplit("/", 1)[-1] for f in report["skipped"]] == ["fuite.md"]
    assert not Resource.objects.filter(title__in=["Secret", "Autre"]).exists()
    assert Resource.objects.filter(title="Note 0").exists()
    out, _ = run(str(folder), "--programme", "prog")
    assert "Skipped: 1" in out and "fuite.md" in out
