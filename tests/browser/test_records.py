"""A record whose transcript file is read in the background: the record page answers at once,
shows the reading, and shows the transcript by itself once a worker has read it."""

import re

from playwright.sync_api import expect

from recolte.collection.tests import fixtures_gen as fx
from recolte.testing import make_world, run_tasks

from .test_trust import log_in

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_a_large_transcript_is_read_after_the_record_is_saved(
    live_server, browser_page, transactional_db, settings, tmp_path
):
    settings.TASKS = DATABASE
    settings.RECOLTE_UPLOAD_INLINE_BYTES = 0  # every file counts as large
    settings.MEDIA_ROOT = tmp_path
    world = make_world()
    page = browser_page
    log_in(page, live_server.url, world.users["facilitator"].username)
    page.goto(f"{live_server.url}/p/prog/records/new/?instrument=interview")
    page.fill("input[name=title]", "Entretien avec la coopérative")
    transcript = tmp_path / "entretien.docx"
    transcript.write_bytes(fx.docx_bytes())
    page.set_input_files("input[name=content_file]", str(transcript))
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()

    status = page.get_by_role("status").filter(has_text="entretien.docx")
    expect(status).to_contain_text("Lecture du fichier")
    run_tasks()  # a worker reads it; the page polls and shows the text without a reload
    expect(page.locator("main")).to_contain_text("leurs résultats", timeout=8_000)
    expect(page.locator("main")).to_contain_text(re.compile("entretien.docx a été lu"))
