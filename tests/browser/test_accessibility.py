"""axe-core on every page each kind of visitor can open, in French and in English.

The pages are those of the URL inventory (`recolte/access/tests/test_every_url.py`): its table
says who may read each pattern and its world gives the arguments, so a new page is checked here
as soon as it is declared there. Each visitor gets one browser context per language; a page is
checked once loaded, HTMX content included. Critical and serious violations fail the test.
Fragments (HTMX partials, no <html>) are checked inside the page that loads them; files and JSON
are not pages.
"""

import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import BrowserContext
from playwright.sync_api import Error as PlaywrightError

from recolte.access.tests.test_every_url import POLICY, REFUSED, Site, build_site, expected
from recolte.access.tests.test_every_url import url_names as every_url_name
from recolte.corpus import retrieval

# Installed by scripts/axe.sh (`make test`), beside the virtualenv.
AXE = Path(sys.prefix) / "share" / "axe-core" / "axe.min.js"
VISITORS = {  # the role as the issue names it -> the inventory's visitor
    "admin": "superuser",
    "facilitator": "facilitator",
    "team": "team",
    "contributor": "contributor_a",
    "reader": "reader",
    "anonymous": "anonymous",
}
FAILING = ("critical", "serious")
# Patterns that answer a file, JSON or a redirect to one, never a page.
NOT_PAGES = {
    "set_language",
    "favicon",
    "platform_audit_export",
    "programme_audit_export",
    "privacy:person_export",
    "collection:tracking_export",
    "collection:programme_tracking_export",
    "collection:answers_export",
    "collection:answer_file",
    "collection:resource_original",
    "coding:codebook_export",
    "corpus:api_search",
    "synthesis:report_file",
    "synthesis:campaign_export",
    "coding:codings",
    "portal:report_file",
    "portal:report",
}


@pytest.fixture(autouse=True)
def _fresh_search_caches():
    # The live server shares the search caches of this process; ids are handed out afresh.
    retrieval.reset()


# Page states worth checking besides the first view: the result list of a search.
QUERIES = {"corpus:search": "q=comité", "portal:library": "q=comité"}


def pages_for(site: Site, who: str) -> dict[str, list[str]]:
    """Pattern name -> URLs of the GETs the inventory says `who` may open."""
    found = {}
    for name in sorted(every_url_name()):
        rule = POLICY[name]
        if rule.get is REFUSED:
            continue
        for case in rule.cases(site):
            if expected(rule.get, who, case) != "ok":
                continue
            query = case.query or QUERIES.get(name, "")
            url = reverse(name, kwargs=case.kwargs) + (f"?{query}" if query else "")
            found.setdefault(name, []).append(url)
    return found


def signed_in_context(browser, base: str, who: str, user, language: str) -> BrowserContext:
    # The CSP refuses inline scripts, axe is injected as one.
    context = browser.new_context(locale={"fr": "fr-FR", "en": "en-GB"}[language], bypass_csp=True)
    context.set_default_timeout(15_000)
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
    if who != "anonymous":
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base})
    context.add_cookies(cookies)
    return context


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => {
            // preload: off, or axe fetches every stylesheet again for one minor rule.
            const result = await axe.run(document, {resultTypes: ["violations"], preload: false});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(" ")),
            }));
        }"""
    )


def open_page(page, base: str, urls: list[str]) -> str | None:
    """Open the first of a pattern's URLs that answers a page ("" if it answers an HTMX
    fragment, checked where it is loaded); the others differ by their data, not their
    template. None if none answers HTML."""
    for url in urls:
        try:
            answer = page.goto(base + url)
        except PlaywrightError:  # a file download
            continue
        if answer.status == 200 and answer.headers.get("content-type", "").startswith("text/html"):
            return url if page.locator("html > head > title").count() else ""
    return None


def check_pages(
    context: BrowserContext, base: str, pages, who: str, language: str, seen: set
) -> list[str]:
    label = f"{who}/{language}"
    page = context.new_page()
    problems, checked = [], 0
    for name, urls in pages.items():
        url = open_page(page, base, urls)
        if url is None:
            continue
        seen.add(name)
        if not url:
            continue
        page.wait_for_function("() => !document.querySelector('.htmx-request')")
        if page.get_attribute("html", "lang") != language:  # else this language goes unchecked
            problems.append(f"{label} {url}: the page is not in {language}")
        checked += 1
        for v in axe_violations(page):
            if v["impact"] in FAILING:
                targets = ", ".join(v["targets"][:5])
                problems.append(f"{label} {url} [{v['impact']}] {v['id']}: {v['help']} → {targets}")
    print(f"{label}: {checked} pages checked, {len(pages)} URL patterns readable")
    page.close()
    return problems


def test_every_page_passes_axe_for_every_visitor_in_both_languages(
    live_server, browser, transactional_db, settings
):
    assert AXE.exists(), f"axe-core is missing: run scripts/axe.sh (make test does) for {AXE}"
    settings.RECOLTE_OPEN_PROGRAMME_CREATION = False
    site = build_site()
    problems, seen = [], set()
    for role, who in VISITORS.items():
        pages = pages_for(site, who)
        for language in ("fr", "en"):
            context = signed_in_context(
                browser, live_server.url, who, site.users.get(who), language
            )
            problems += check_pages(context, live_server.url, pages, role, language, seen)
            context.close()
    readable = {n for n in every_url_name() if POLICY[n].get is not REFUSED}
    unvisited = readable - seen - NOT_PAGES
    assert not unvisited, f"no visitor opened these patterns as a page: {sorted(unvisited)}"
    assert not problems, f"{len(problems)} axe violations:\n" + "\n".join(problems)
