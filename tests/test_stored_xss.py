"""Stored XSS: the probe's payloads in every free-text field, every page and export inert.

Every CharField/TextField of Récolte's models (found with `apps.get_models()`, so a new field is
covered by itself) is overwritten with the payloads on a small but complete programme: campaign
with answers, resources and passages, codes, quotes, memos, a published synthesis and report.
Then a facilitator's pages are crawled from the programme's home (links and HTMX fragments),
with the public portal as an anonymous visitor and every export linked from them; HTML is parsed
(`html.parser`) and Markdown read, and no payload may come out live.
"""

import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.db import models
from django.db.models import Value
from django.db.models.functions import Cast, Concat
from django.test import Client
from django.urls import Resolver404, resolve

from recolte.coding.models import Consent
from recolte.coding.services import coding_create, memo_add, quote_mark
from recolte.coding.tests.helpers import code
from recolte.collection import services as svc
from recolte.collection.models import Campaign
from recolte.collection.tests.campaign_fixtures import first_question, logbook, people
from recolte.corpus import retrieval
from recolte.portal import services as portal
from recolte.portal.tests.helpers import campaign_synthesis, resource
from recolte.synthesis import publication
from recolte.synthesis.models import CampaignSynthesis, Report
from recolte.synthesis.services import generate, save_node_text
from recolte.testing import PASSWORD, make_world

pytestmark = pytest.mark.django_db

PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "**x** <b onmouseover=alert(1)>raw</b> [x](javascript:alert(1))",
    "{{ 7|add:7 }}{% now 'Y' %}",
)
ALL = " ".join(PAYLOADS)
# Identifiers and codes that name objects in URLs or logic, not free text.
NOT_FREE_TEXT = {"slug", "key", "code", "language", "colour", "username", "password", "token_hash"}
MAX_PAGES = 400
SAME_SHAPE = 3  # pages checked per URL pattern and set of query keys
LIVE_MARKDOWN = re.compile(r"(?<!\\)<(?:script|img|svg|b )|(?<!\\)\]\(\s*javascript:", re.I)
SUFFIX = 12  # " #<pk>" keeps values distinct where names must be unique together


def free_text_fields() -> list[tuple[type[models.Model], models.Field]]:
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("recolte.") or model._meta.abstract:
            continue
        for f in model._meta.concrete_fields:
            if not isinstance(f, models.CharField | models.TextField) or f.choices:
                continue
            if (
                f.primary_key
                or f.unique
                or f.name in NOT_FREE_TEXT
                or isinstance(f, models.SlugField)
            ):
                continue
            if f.max_length is not None and f.max_length < len(PAYLOADS[0]) + SUFFIX:
                continue
            found.append((model, f))
    return found


def payload_for(f: models.Field, n: int) -> str:
    if isinstance(f, models.URLField):
        return "javascript:alert(1)"
    room = None if f.max_length is None else f.max_length - SUFFIX
    if room is None or room >= len(ALL):
        return ALL
    fitting = [p for p in PAYLOADS if len(p) <= room]
    return fitting[n % len(fitting)]


def build(world) -> None:
    """A programme with a row in each room, every one of them public where it can be."""
    admin = world.users["admin"]
    alice, _bakary = people(world)
    campaign = logbook(world, status=Campaign.Status.OPEN)
    response = svc.response_for(campaign, world.lead, "web")
    svc.answer_save(response=response, question=first_question(campaign), text="Réponse.")
    svc.response_submit(response=response, by=admin)
    doc = resource(world, "Le puits du village a été réparé avec la commune.", "Compte rendu")
    doc.campaign = campaign
    doc.save()
    theme = code(world.programme, "eau", name="Eau", description="Accès à l'eau")
    coding = coding_create(version=doc.current, start=0, end=20, code=theme, coder=admin)
    quote_mark(coding=coding, person=alice, person_name="Alice Martin", consent=Consent.GIVEN)
    memo_add(author=admin, text="Mémo.", code=theme)
    memo_add(author=admin, text="Mémo.", resource=doc)
    save_node_text(code=theme, text="Analyse.", base_version=0, user=admin)
    campaign_synthesis(world)  # an empty one of its own campaign
    CampaignSynthesis.objects.get_or_create(campaign=campaign)
    portal.programme_publish(world.programme, by=admin)
    portal.pilot_publish(world.pilot, by=admin)
    portal.resource_publish(doc, by=admin)


def fill(fields) -> int:
    """Every free-text field of every row gets payloads (written raw, as a hostile import)."""
    for n, (model, f) in enumerate(fields):
        value = payload_for(f, n)
        if not isinstance(f, models.URLField):
            value = Concat(Value(value + " #"), Cast("pk", models.CharField()))
        model._base_manager.update(**{f.attname: value})
    return len(fields)


def publish_all(world) -> None:
    admin = world.users["admin"]
    for synthesis in CampaignSynthesis.objects.filter(campaign__programme=world.programme):
        publication.publish(synthesis, by=admin)
    report = Report.objects.create(
        programme=world.programme, formats=["html", "md"], created_by=admin
    )
    generate(report)
    publication.publish(report, by=admin)


@dataclass
class Page(HTMLParser):
    """Tags, attributes and inline script text of one HTML page, and the links to follow."""

    live: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    _script: bool = False

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            value = (value or "").strip()
            if name.startswith("on") and "alert(1)" in value:
                self.live.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction", "hx-get", "hx-post") and (
                value.lower().replace(" ", "").startswith("javascript:")
            ):
                self.live.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "hx-get") and value:
                self.links.append(value)
        self._script = tag == "script" and values.get("type") != "application/json"

    def handle_endtag(self, tag: str) -> None:
        self._script = False

    def handle_data(self, data: str) -> None:
        if self._script and "alert(1)" in data:
            self.live.append(f"<script>{data[:60]}")


def markdown_live(text: str) -> list[str]:
    """Raw HTML or javascript: links a Markdown viewer would render live (a backslash makes the
    next character literal in Markdown)."""
    return LIVE_MARKDOWN.findall(text)


@dataclass
class Crawl:
    checked: int = 0
    live: dict[str, list[str]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    shapes: dict[tuple, int] = field(default_factory=dict)

    def visit(self, client: Client, start: list[str], inside: tuple[str, ...]) -> None:
        queue, seen = list(start), set(start)
        while queue and self.checked < MAX_PAGES:
            url = queue.pop(0)
            response = client.get(url)
            self.checked += 1
            if response.status_code >= 500:
                self.errors[url] = response.status_code
            if response.status_code != 200:
                continue
            kind = response.get("Content-Type", "")
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if "html" in kind or "svg" in kind:
                page = Page()
                page.feed(body.decode("utf-8", "replace"))
                if page.live:
                    self.live[url] = page.live
                for link in page.links:
                    target = self.follow(url, link, inside)
                    if target and target not in seen:
                        seen.add(target)
                        queue.append(target)
            elif "markdown" in kind and markdown_live(body.decode()):
                self.live[url] = markdown_live(body.decode())

    def follow(self, base: str, link: str, inside: tuple[str, ...]) -> str | None:
        parts = urlsplit(urljoin(base, link))
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            return None
        if not parts.path.startswith(inside) or "logout" in parts.path:
            return None
        try:
            route = resolve(parts.path).route
        except Resolver404:
            return None
        shape = (route, tuple(sorted(k.split("=")[0] for k in parts.query.split("&") if k)))
        self.shapes[shape] = self.shapes.get(shape, 0) + 1
        if self.shapes[shape] > SAME_SHAPE:
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")


def test_payloads_in_every_free_text_field_stay_inert_on_every_page(db, capsys):
    started = time.perf_counter()
    retrieval.reset()  # see recolte/conftest.py
    world = make_world()
    build(world)
    fields = free_text_fields()
    filled = fill(fields)
    publish_all(world)

    crawl = Crawl()
    slug = world.programme.slug
    staff = Client()
    assert staff.login(username=world.users["facilitator"].username, password=PASSWORD)
    crawl.visit(staff, [f"/p/{slug}/"], (f"/p/{slug}/",))
    crawl.visit(Client(), ["/public/", f"/public/{slug}/"], ("/public/",))

    assert not crawl.live, crawl.live
    assert not crawl.errors, crawl.errors
    assert filled > 60 and crawl.checked > 80, (filled, crawl.checked)
    with capsys.disabled():
        print(
            f"\nstored XSS: {len(PAYLOADS)} payloads in {filled} fields × {crawl.checked} pages "
            f"checked in {time.perf_counter() - started:.1f} s"
        )
