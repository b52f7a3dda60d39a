import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from recolte.collection.models import ResourceVersion
from recolte.collection.signals import version_stored
from recolte.corpus import pipeline
from recolte.corpus.models import Passage, ProcessingRun
from recolte.corpus.tests.helpers import add


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_process_shows_progress_and_only_does_pending_work(world):
    for n in range(3):
        add(world, f"Le puits numéro {n} de Ménaka.", process=False)
    out, err = run("process", "--programme", "prog")
    assert "3/3" in err and "ETA" in err and "errors 0" in err
    assert "3 versions, 3 passages" in out
    assert Passage.objects.count() == 3
    out, _ = run("process")
    assert out.startswith("0 versions")
    out, _ = run("process", "--all")
    assert out.startswith("3 versions") and Passage.objects.count() == 3


def test_interrupted_run_resumes_where_it_stopped(world, monkeypatch):
    for n in range(3):
        add(world, f"Texte {n} sur la coopération.", process=False)
    monkeypatch.setattr(pipeline, "EMBED_BATCH", 1)
    original = pipeline.Batch.add
    calls = []

    def flaky(self, version):
        calls.append(version.pk)
        if len(calls) == 3:  # the first version is stored, the second still being embedded
            raise SystemExit("killed")
        return original(self, version)

    monkeypatch.setattr(pipeline.Batch, "add", flaky)
    with pytest.raises(SystemExit):
        run("process", "--all")
    stopped = ProcessingRun.objects.get()
    assert (stopped.status, stopped.done, len(stopped.pending)) == ("interrupted", 1, 2)
    monkeypatch.setattr(pipeline.Batch, "add", original)
    _, err = run("process", "--all")
    assert "resuming run" in err
    stopped.refresh_from_db()
    assert (stopped.status, stopped.done, stopped.pending) == ("done", 3, [])
    assert Passage.objects.count() == 3


def test_errors_are_recorded_and_skipped(world, monkeypatch):
    good = add(world, "Un bon texte.", process=False)
    bad = add(world, "Un texte qui casse.", process=False)
    original = pipeline.apply_version

    def breaking(version, linker, touched=None):
        if version.resource_id == bad.pk:
            raise ValueError("boom")
        return original(version, linker, touched)

    monkeypatch.setattr(pipeline, "apply_version", breaking)
    _, err = run("process")
    assert "errors 1" in err and "boom" in err
    assert Passage.objects.filter(resource=good).count() == 1


def test_search_command_json(world):
    add(world, "À Ménaka, le puits est géré par les femmes.")
    add(world, "Le marché ouvre le lundi.")
    out, _ = run("search", "menaka", "--programme", "prog", "--json", "--limit", "1")
    data = json.loads(out)
    assert len(data["hits"]) == 1 and "<mark>Ménaka</mark>" in data["hits"][0]["highlighted"]
    out, _ = run("search", "puits", "--programme", "prog", "--language", "en")
    assert out == ""


def test_eval_search_reports_three_modes(world, tmp_path):
    codebook = {
        "codes": [
            {"id": "eau", "label": "Accès à l'eau", "questions": ["Qui gère le puits ?"]},
            {"id": "marche", "label": "Marchés", "questions": []},
        ]
    }
    rows = [
        {
            "id": "a",
            "code": "eau",
            "text": "Le puits et l'eau du village sont gérés par un comité.",
        },
        {"id": "b", "code": "marche", "text": "Les marchés ruraux ouvrent chaque semaine."},
        {"id": "c", "code": "eau", "text": "Un comité de l'eau entretient le puits."},
    ]
    (tmp_path / "codebook.json").write_text(json.dumps(codebook))
    (tmp_path / "p.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    out, _ = run(
        "eval_search",
        "--codebook",
        str(tmp_path / "codebook.json"),
        "--passages",
        str(tmp_path / "p.jsonl"),
        "--json",
    )
    report = json.loads(out)
    assert report["codes"] == 2
    for mode in ("bm25", "vector", "hybrid"):
        assert report[mode]["recall@10"] == 1.0 and report[mode]["mrr"] == 1.0
    assert report["full_text"] == "bm25 in memory"
    assert not Passage.objects.exists()  # the evaluation corpus is rolled back


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
)
def test_new_version_signal_processes_it(world):
    resource = add(world, "Première version du texte.", process=False)
    version_stored.send(sender=ResourceVersion, version=resource.current)
    assert Passage.objects.filter(resource=resource).count() == 1
    assert ProcessingRun.objects.get().status == "done"
