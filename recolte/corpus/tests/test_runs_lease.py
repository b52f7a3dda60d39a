"""A run whose process was killed (no chance to say so) is resumed; a live one is not."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from io import StringIO
from subprocess import DEVNULL

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from recolte.corpus.models import Passage, ProcessingRun
from recolte.corpus.runs import current_versions, execute, start_run, takeover
from recolte.corpus.tasks import process_version_task
from recolte.corpus.tests.helpers import add
from recolte.testing import PASSWORD, database_file, make_world


def left_running(world, *, beat_ago: timedelta, label="resource 1 v1") -> ProcessingRun:
    """A run as a SIGKILLed worker leaves it: "running", one version done, the rest pending."""
    for n in range(3):
        add(world, f"Le puits numéro {n} de Ménaka.", process=False)
    versions = current_versions(programme=world.programme)
    run = start_run(versions, programme=world.programme, label=label)
    ProcessingRun.objects.filter(pk=run.pk).update(
        status=ProcessingRun.Status.RUNNING,
        heartbeat_at=timezone.now() - beat_ago,
        pending=versions[1:],
        done=1,
    )
    run.refresh_from_db()
    return run


def process(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("process", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@override_settings(LANGUAGE_CODE="en")
def test_killed_run_shows_interrupted_and_plain_process_finishes_it(world, client):
    run = left_running(world, beat_ago=ProcessingRun.LEASE + timedelta(minutes=1))
    assert run.stale and not run.active and run.state_display == "interrupted"
    client.login(username="prog-facilitator", password=PASSWORD)
    box = client.get(reverse("corpus:progress", args=["prog"])).content.decode()
    assert "Last run: interrupted, 1/3" in box and "<progress" not in box

    _, err = process()
    assert f"resuming run {run.pk}: 1/3 done" in err
    run.refresh_from_db()
    assert (run.status, run.done, run.pending) == ("done", 3, [])
    # The resumed run did its two pending versions; the one this fake run only claimed to have
    # done was caught by the plain pass that follows.
    assert run.passages == 2 and Passage.objects.count() == 3


def test_live_run_is_not_taken_over(world):
    run = left_running(world, beat_ago=timedelta(seconds=30))
    assert run.active and not run.stale
    _, err = process()
    assert "resuming" not in err
    run.refresh_from_db()
    assert (run.status, run.done) == ("running", 1)


def test_a_stale_run_is_claimed_once(world):
    run = left_running(world, beat_ago=ProcessingRun.LEASE * 2)
    assert [r.pk for r in takeover(programme=world.programme)] == [run.pk]
    # The claim renewed the lease: a second process looking now finds nothing to take.
    assert takeover(programme=world.programme) == []
    assert takeover() == []


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
)
def test_the_next_task_of_the_programme_finishes_a_killed_run(world):
    run = left_running(world, beat_ago=ProcessingRun.LEASE * 2)
    uploaded = add(world, "Un nouveau document.", process=False)
    process_version_task.enqueue(uploaded.current.pk)
    run.refresh_from_db()
    assert (run.status, run.pending) == ("done", [])
    assert Passage.objects.count() == 3


def test_the_lease_is_renewed_as_batches_finish(world):
    for n in range(2):
        add(world, f"Texte {n} sur la coopération.", process=False)
    versions = current_versions(programme=world.programme)
    run = start_run(versions, programme=world.programme, label="process ")
    ProcessingRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - timedelta(days=1))
    run.refresh_from_db()
    beats = []
    execute(
        run, on_progress=lambda r: beats.append(ProcessingRun.objects.get(pk=r.pk).heartbeat_at)
    )
    assert beats and all(timezone.now() - beat < timedelta(minutes=1) for beat in beats)


@pytest.mark.django_db(transaction=True)
def test_a_sigkilled_process_run_is_resumed(tmp_path):
    """The real thing: `recolte process --all` in a subprocess, SIGKILLed mid-run; plain
    `recolte process` finishes that run once its lease has run out."""
    with database_file(tmp_path / "db.sqlite3") as url:
        world = make_world()
        for n in range(30):
            add(world, f"Le puits numéro {n} de Ménaka est géré par les femmes.", process=False)
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": settings.SECRET_KEY}
        command = [sys.executable, "-m", "django", "process", "--all", "--programme", "prog"]
        child = subprocess.Popen(command, env=env, stdout=DEVNULL, stderr=DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while not ProcessingRun.objects.filter(status="running").exists():
                assert child.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
        run = ProcessingRun.objects.get()
        assert run.status == "running" and run.pending  # nobody could say it stopped
        assert not run.stale  # until its lease runs out
        ProcessingRun.objects.filter(pk=run.pk).update(
            heartbeat_at=run.heartbeat_at - ProcessingRun.LEASE
        )
        _, err = process("--programme", "prog")
        assert f"resuming run {run.pk}" in err
        run.refresh_from_db()
        assert (run.status, run.done, run.pending) == ("done", 30, [])
        assert Passage.objects.values("resource").distinct().count() == 30
