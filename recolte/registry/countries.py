"""Country reference data (see scripts/build_countries.py) and lookup of countries by name."""

import functools
import json
import re
import unicodedata
from pathlib import Path

from .models import Country

DATA_FILE = Path(__file__).resolve().parent / "data" / "countries.json"
_ARTICLE = re.compile(r"^(?:le|la|les|l|the) ")


@functools.cache
def reference_data() -> dict:
    """The committed data file: viewbox, countries (with map path and label point) and regions."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def places() -> list[dict]:
    return reference_data()["countries"] + reference_data()["regions"]


def normalise(text: str) -> str:
    """Lower case, no accents, punctuation as spaces, no leading article ("le Salvador")."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    folded = " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())
    return _ARTICLE.sub("", folded)


@functools.cache
def _index() -> dict[str, str]:
    """Normalised name or alias → code. Own names win; an alias shared by two places is dropped."""
    index: dict[str, str] = {}
    for place in places():
        for name in (place["name_fr"], place["name_en"]):
            index.setdefault(normalise(name), place["code"])
    shared: set[str] = set()
    for place in places():
        for alias in place["aliases"]:
            key = normalise(alias)
            owner = index.setdefault(key, place["code"])
            if owner != place["code"]:
                shared.add(key)
    own = {normalise(p[field]) for p in places() for field in ("name_fr", "name_en")}
    return {key: code for key, code in index.items() if key in own or key not in shared}


def find_country(text: str) -> Country | None:
    """The country or region named by `text` (code, French or English name, usual variant).

    Returns None for anything it cannot name with certainty, so importers can refuse it.
    """
    raw = text.strip()
    if re.fullmatch(r"[A-Za-z]{2}|\d{3}", raw):
        return Country.objects.filter(pk=raw.upper()).first()
    key = normalise(raw)
    if not key:
        return None
    code = _index().get(key)
    if code:
        return Country.objects.filter(pk=code).first()
    # Places added by hand in the admin are not in the data file.
    return next(
        (c for c in Country.objects.all() if key in (normalise(c.name_fr), normalise(c.name_en))),
        None,
    )
