"""Every page speaks one language: no French UI words on an English page, no English ones on a
French page, and each language's typography (colons, percentages).

The pages are those of the URL inventory (`recolte/access/tests/test_every_url.py`), rendered
with its world, whose programme data are French like a real programme's. A text is blamed on
the interface only if it is not the data: a text node found in the database's strings is data,
and data found inside a node are cut out before the rest is judged. Parts marked with another
`lang` (the language switch, a translation shown beside the original) are not the page's
language and are skipped.
"""

import ast
import gettext
import re
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse

import recolte
from recolte.access.tests.test_every_url import POLICY, build_site, expected, url_names
from recolte.coding.models import Coding
from recolte.collection.models import Campaign, Response, Upload
from recolte.corpus.models import ProcessingRun

# Product texts stored in the database (not data): they must be in the reader's language too.
PRODUCT_TEXT = {(Upload, "message")}
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-confirm")
BRAND = re.compile(r"Récolte")

FRENCH = re.compile(
    r"\b(le|la|les|des|du|une|et|est|pour|avec|sans|dans|sur|aucun|aucune|vous|votre|vos|"
    r"nous|cette|ces|qui|pas|où|réponses?|campagnes?|fichier)\b"
    r"|[éèêàçùâîôûœ]|«|»|\w[\u00a0\u202f ]:|\d[\u00a0\u202f ]%",
    re.IGNORECASE,
)
ENGLISH = re.compile(
    r"\b(the|and|of|with|without|for|is|are|this|these|your|you|from|has|have|yet|by|to)\b"
    # "traitement: terminé", "78%": French puts a (non-breaking) space before : and %.
    r"|[^\W\d]:(?:\s|$)|\d%",
    re.IGNORECASE,
)
# A date shows in the language's format (recolte/formats), never as ISO beside it.
ISO_DATE = r"|\b\d{4}-\d{2}-\d{2}\b"
MARKERS = {
    "en": re.compile(FRENCH.pattern + ISO_DATE, re.I),
    "fr": re.compile(ENGLISH.pattern + ISO_DATE, re.I),
}


@dataclass
class Leak:
    page: str
    text: str
    found: str

    def __str__(self) -> str:
        return f"{self.page}: {self.found!r} in {self.text!r}"


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def database_strings() -> list[str]:
    """Every string the programme's people typed: the data a page may show as is."""
    values = set()
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField) or field.choices:
                continue
            if (model, field.name) in PRODUCT_TEXT:
                continue
            for value in model._default_manager.values_list(field.attname, flat=True):
                if value and len(value.strip()) > 1:
                    values.update(_squash(line) for line in value.splitlines() if line.strip())
    return sorted(values, key=len, reverse=True)


SEPARATORS = re.compile(r"([:·—()|,;/\[\]]+)")
QUOTE_MARKS = "«»“”\"'… \u00a0\u202f"  # around a quotation or cut data
MIN_DATA = 8  # a shorter piece is found in any blob by chance


class Judge:
    def __init__(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Read the data again: pages write some (the audit log quotes what was seen)."""
        self.data = database_strings()
        self.blob = "\n".join(self.data)

    def is_data(self, text: str) -> bool:
        squashed = _squash(text).strip(QUOTE_MARKS)
        return squashed in self.blob

    def leak(self, text: str, markers: re.Pattern) -> str | None:
        text = BRAND.sub("", text)
        if not markers.search(text) or self.is_data(text):
            return None
        rest = _squash(text)
        for value in self.data:  # only for the few suspicious nodes
            if value in rest:  # whole words only: "ad" must not turn "lead" into "le"
                rest = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", rest)
        # Data cut short beside a label ("Answer 3: Le comité de gest…"): pieces between
        # separators that the data hold are data.
        pieces = SEPARATORS.split(rest)
        rest = "".join(
            p
            if SEPARATORS.fullmatch(p) or len(p.strip()) < MIN_DATA or not self.is_data(p)
            else " "
            for p in pieces
        )
        found = markers.search(rest)
        return found.group(0) if found else None


def visible_texts(html: str, language: str):
    """Text nodes and human-read attributes of the page, outside scripts, styles and parts
    marked with another language."""
    root = lxml.html.fromstring(html)
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style"):
            continue
        marked = next((a.get("lang") for a in element.iterancestors() if a.get("lang")), None)
        own = element.get("lang") or marked
        if own and not own.startswith(language):
            continue
        if element.text and element.text.strip():
            yield element.text
        for name, value in element.attrib.items():
            if (name in ATTRIBUTES or name.startswith("data-msg-")) and value.strip():
                yield value
        if element.tail and element.tail.strip():
            parent = element.getparent()
            parent_lang = parent is not None and (
                parent.get("lang")
                or next((a.get("lang") for a in parent.iterancestors() if a.get("lang")), None)
            )
            if not parent_lang or parent_lang.startswith(language):
                yield element.tail


def _client_for(site, rule, case) -> Client | None:
    """A visitor who may read the page: staff first, the respondent for answering pages."""
    for who in ("superuser", "facilitator", "contributor_a", "anonymous"):
        if expected(rule.get, who, case) == "ok":
            client = Client(raise_request_exception=True)
            if who != "anonymous":
                client.force_login(site.users[who])
            return client
    return None


def _more_to_show(site) -> None:
    """What the inventory's world lacks for some texts to appear: a finished processing run, a
    chart of codes over the campaign's responses."""
    programme = Campaign.objects.get(pk=site.objects["campaign"]["pk"]).programme
    ProcessingRun.objects.create(
        programme=programme, label="all", total=4, done=4, status=ProcessingRun.Status.DONE
    )
    code = Coding.objects.get(pk=site.objects["coding"]["pk"]).code
    for response in Response.objects.filter(resource__isnull=False):
        Coding.objects.create(version=response.resource.current, start=0, end=5, code=code)


def pages(site):
    for name in sorted(url_names()):
        rule = POLICY[name]
        if rule.get is None:
            continue
        for case in rule.cases(site):
            client = _client_for(site, rule, case)
            if client is not None:
                yield name, case, client


def leaks_in(language: str, site, judge: Judge) -> tuple[list[Leak], int]:
    leaks, seen = [], 0
    for name, case, client in pages(site):
        url = reverse(name, kwargs=case.kwargs) + (f"?{case.query}" if case.query else "")
        client.cookies["django_language"] = language
        answer = client.get(url, headers={"accept-language": language})
        if answer.status_code != 200 or "text/html" not in answer.get("Content-Type", ""):
            continue
        html = answer.content.decode()
        if not html.strip():
            continue
        seen += 1
        judge.refresh()
        for text in visible_texts(html, language):
            found = judge.leak(text, MARKERS[language])
            if found:
                leaks.append(Leak(f"{name} {case.label}".strip(), " ".join(text.split()), found))
    return leaks, seen


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_page_speaks_the_language_of_the_reader(language, settings):
    settings.RECOLTE_OPEN_PROGRAMME_CREATION = False
    site = build_site()
    _more_to_show(site)
    judge = Judge()
    leaks, seen = leaks_in(language, site, judge)
    assert seen > 60, f"only {seen} pages rendered"
    assert not leaks, "\n".join(map(str, leaks))


GETTEXT = {"gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "gettext_noop"}


def _translated_literals(path: Path):
    """(line, text) of each string literal handed to gettext under any alias, f-strings
    included: xgettext misses both, and the text then shows untranslated."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in GETTEXT
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
            first = node.args[1 if node.func.id.startswith("pgettext") else 0]
            if node.func.id in aliases and isinstance(first, ast.Constant):
                yield node.lineno, first.value


def test_every_message_of_the_code_is_in_the_french_catalogue():
    root = Path(recolte.__file__).parent
    with open(root / "locale" / "fr" / "LC_MESSAGES" / "django.mo", "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)._catalog
    known = {key[0] if isinstance(key, tuple) else key for key in catalogue}
    known |= {key.split("\x04", 1)[-1] for key in known}  # pgettext: context\x04message
    missing = [
        f"{path.relative_to(root)}:{line}: {text!r}"
        for path in sorted(root.rglob("*.py"))
        if "tests" not in path.parts and "migrations" not in path.parts
        for line, text in _translated_literals(path)
        if isinstance(text, str) and text not in known
    ]
    assert not missing, "\n".join(missing)
