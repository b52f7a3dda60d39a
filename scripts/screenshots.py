"""The README's screenshots, taken from the demo data so that they never drift from the product.

Run with the virtualenv's python (`make screenshots`): a scratch database in a temporary
directory gets the migrations, `demo_load` and its background tasks (passages, vectors,
suggestions); a server is started on it, and Debian's chromium, driven by Playwright, signs in as
each shot's role and writes the PNGs to docs/img/. `SHOTS` is the list the README references
(tests/test_readme_images.py checks both ways).
"""

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "img"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@dataclass(frozen=True)
class Shot:
    file: str
    role: str  # a demo account
    page: str  # a key of `pages()`
    width: int = 1280
    height: int = 900
    phone: bool = False


SHOTS = (
    Shot("actor-map.png", "facilitator", "actor_map"),
    Shot("coding-workbench.png", "facilitator", "workbench"),
    Shot("search.png", "team", "search"),
    Shot("report.png", "facilitator", "analysis"),
    Shot("answering-phone.png", "contributor", "respond", width=390, height=844, phone=True),
)


def pages() -> dict[str, str]:
    """The path of each page, read from the demo data (ids differ from one load to the next)."""
    from django.db.models import Count
    from django.urls import reverse

    from recolte.collection.models import Campaign, Resource

    coded = Resource.objects.annotate(n=Count("versions__codings")).order_by("-n").first()
    answered = Campaign.objects.filter(status=Campaign.Status.OPEN).order_by("pk").first()
    return {
        "actor_map": reverse("registry:actor_map", args=["caac"]),
        "workbench": reverse("coding:workbench", args=["caac", coded.pk]),
        "search": reverse("corpus:search", args=["caac"]) + "?q=pouvoirs+publics",
        "analysis": reverse("synthesis:analysis", args=["caac"]),
        "respond": reverse("collection:respond", args=["caac", answered.pk]),
    }


def load_demo() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("demo_load", verbosity=0)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--insecure", "--noreload"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the server did not start")


def take(base: str, paths: dict[str, str]) -> None:
    from playwright.sync_api import sync_playwright

    from recolte.portal.demo import DEMO_PASSWORD

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for shot in SHOTS:
            context = browser.new_context(
                locale="fr-FR",
                viewport={"width": shot.width, "height": shot.height},
                is_mobile=shot.phone,
                has_touch=shot.phone,
            )
            page = context.new_page()
            page.goto(f"{base}/accounts/login/")
            page.fill("input[name=username]", shot.role)
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.click("main button[type=submit]")
            page.wait_for_url(f"{base}/")
            page.goto(base + paths[shot.page])
            page.wait_for_load_state("networkidle")
            page.screenshot(path=OUT / shot.file)
            print(f"docs/img/{shot.file}  {shot.role}  {paths[shot.page]}")
            context.close()
        browser.close()


def main() -> None:
    scratch = tempfile.TemporaryDirectory(prefix="recolte-shots-")
    # The server inherits these: the same scratch database, a throwaway key.
    os.environ.update(
        RECOLTE_DATA=scratch.name,
        SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SETTINGS_MODULE="recolte.settings",
        DATABASE_URL=f"sqlite:///{scratch.name}/recolte.sqlite3",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    print("Loading the demo data and running its tasks (a few minutes)…")
    load_demo()
    port = free_port()
    server = serve(port)
    try:
        take(f"http://127.0.0.1:{port}", pages())
    finally:
        server.terminate()
        server.wait()
        scratch.cleanup()


if __name__ == "__main__":
    main()
