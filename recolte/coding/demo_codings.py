"""The demo programme's codings: a facilitator's reading of the demo resources, loaded idempotently.

Each entry of `data/demo_codings.json` names a resource by title, the exact passage of its current
text, a code key and a coder, and optionally a quote attribution and a memo. A passage that is no
longer in the text (the demo texts were edited) fails loudly, naming the entry.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Q

from recolte.coding.models import Code, Coding
from recolte.coding.services import coding_create, coding_memo_save, quote_mark
from recolte.collection.models import Resource
from recolte.registry.models import Country, Person, Programme

DEMO_CODINGS = Path(__file__).resolve().parent / "data" / "demo_codings.json"


class DemoCodingError(ValueError):
    """An entry of the demo codings that no longer matches the demo data."""


def _one(found: list, what: str):
    if len(found) != 1:
        raise LookupError(f"{len(found)} {what}")
    return found[0]


def _span(text: str, passage: str) -> tuple[int, int]:
    count = text.count(passage)
    if count != 1:
        raise LookupError(f"the passage occurs {count} times in the resource's current text")
    start = text.index(passage)  # str indices are code points, as the coding offsets
    return start, start + len(passage)


def _quote_attribution(programme: Programme, quote: dict) -> dict:
    values: dict = {"consent": quote["consent"]}
    organisation = None
    if "organisation" in quote:
        name = quote["organisation"]
        organisation = _one(
            list(programme.organisations.filter(Q(acronym=name) | Q(name=name))),
            f"organisations named {name!r}",
        )
        values["organisation"] = organisation
    if "person" in quote:
        # Homonyms exist across organisations: the quote's organisation disambiguates.
        people = Person.objects.filter(organisation__programme=programme)
        if organisation is not None:
            people = people.filter(organisation=organisation)
        name = quote["person"]
        person = _one([p for p in people if str(p) == name], f"people named {name!r}")
        values.update(person=person, person_name=person.first_name)  # as quote_defaults does
    if "country" in quote:
        values["country"] = Country.objects.get(code=quote["country"])
    return values


def _load_entry(programme: Programme, entry: dict, coders: dict) -> None:
    resource = _one(
        list(Resource.objects.filter(programme=programme, title=entry["resource"])),
        "resources with this title",
    )
    version = resource.current
    start, end = _span(version.text, entry["text"])
    code = Code.objects.get(programme=programme, key=entry["code"])
    if entry["coder"] not in coders:
        found = get_user_model().objects.filter(username=entry["coder"]).first()
        if found is None:
            raise LookupError(f"no user {entry['coder']!r}: create the demo accounts first")
        coders[entry["coder"]] = found
    coder = coders[entry["coder"]]
    coding = coding_create(version=version, start=start, end=end, code=code, coder=coder)
    if "quote" in entry:
        quote_mark(coding=coding, **_quote_attribution(programme, entry["quote"]))
    if memo := entry.get("memo", "").strip():
        coding_memo_save(coding=coding, text=memo)


@transaction.atomic
def load_demo_codings(programme: Programme, path: Path = DEMO_CODINGS) -> int:
    """Create the demo codings missing from `programme`; return how many were created."""
    entries = json.loads(path.read_text())["codings"]
    before = Coding.objects.filter(code__programme=programme).count()
    coders: dict = {}
    for number, entry in enumerate(entries, start=1):
        try:
            _load_entry(programme, entry, coders)
        except (LookupError, ObjectDoesNotExist, ValidationError) as error:
            raise DemoCodingError(
                f"demo coding #{number} ({entry['resource']!r}, {entry['code']!r}, "
                f"{entry['text'][:60]!r}…): {error}"
            ) from error
    return Coding.objects.filter(code__programme=programme).count() - before
