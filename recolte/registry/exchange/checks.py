"""Field-level checks shared by the section validators: text, years, yes/no, lists, references."""

import re
import unicodedata
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from .problems import Problem

MIN_YEAR, MAX_YEAR = 1900, 2100
_TRUE = {"1", "true", "yes", "oui", "x", "vrai"}
_FALSE = {"", "0", "false", "no", "non", "faux"}
Location = tuple[str, int | None]


def norm(text: str) -> str:
    """Comparison key: no accents, no case, one kind of dash, single spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[\u2010-\u2015]", "-", text)
    return " ".join(text.casefold().split())


def split_list(value: Any) -> list[str] | None:
    """A list of strings from a JSON list or a "; "-separated cell; None if neither."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return [str(v).strip() for v in value if str(v).strip()]
    return None


class Checker:
    """Collects problems while reading typed values out of the records of a document."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems

    def add(self, loc: Location, name: str, message: str) -> None:
        self.problems.append(Problem(loc[0], loc[1], name, message))

    def text(
        self,
        rec: dict,
        name: str,
        loc: Location,
        model: type[models.Model],
        *,
        required: bool = False,
    ) -> str:
        value = rec.get(name)
        if isinstance(value, bool) or not isinstance(value, str | int | float | type(None)):
            self.add(loc, name, _("Expected text."))
            return ""
        value = "" if value is None else str(value).strip()
        if required and not value:
            self.add(loc, name, _("This field is required."))
        limit = getattr(model._meta.get_field(name), "max_length", None)
        if limit and len(value) > limit:
            self.add(loc, name, _("Too long: at most %(n)d characters.") % {"n": limit})
        return value

    def year(self, rec: dict, name: str, loc: Location, *, required: bool = False) -> int | None:
        value = rec.get(name)
        if value in (None, ""):
            if required:
                self.add(loc, name, _("This field is required."))
            return None
        try:
            number = int(str(value).strip().removesuffix(".0"))
        except ValueError:
            number = None
        if number is None or not MIN_YEAR <= number <= MAX_YEAR:
            self.add(loc, name, _("Not a year: %(value)s.") % {"value": value})
            return None
        return number

    def year_range(
        self, rec: dict, loc: Location, *, required: bool = False
    ) -> tuple[int | None, int | None]:
        start = self.year(rec, "start_year", loc, required=required)
        end = self.year(rec, "end_year", loc, required=required)
        if start and end and start > end:
            self.add(loc, "end_year", _("The last year comes before the first year."))
        return start, end

    def boolean(self, rec: dict, name: str, loc: Location) -> bool:
        value = rec.get(name)
        if isinstance(value, bool):
            return value
        key = "" if value is None else norm(str(value))
        if key in _TRUE or key in _FALSE:
            return key in _TRUE
        self.add(loc, name, _("Expected yes or no, got %(value)s.") % {"value": value})
        return False

    def strings(self, rec: dict, name: str, loc: Location) -> list[str]:
        values = split_list(rec.get(name))
        if values is None:
            self.add(loc, name, _("Expected a list of texts."))
            return []
        return values

    def records(self, doc: dict, section: str) -> list[tuple[dict, Location]]:
        items = doc.get(section, [])
        if not isinstance(items, list):
            self.add((section, None), "", _("Expected a list."))
            return []
        found = []
        for i, item in enumerate(items, start=1):
            if isinstance(item, dict):
                found.append((item, tuple(item.get("_loc") or (section, i))))
            else:
                self.add((section, i), "", _("Expected an object with named fields."))
        return found


class OrgIndex:
    """Finds an organisation of the file by acronym, name or alias."""

    def __init__(self) -> None:
        self.keys: dict[str, int] = {}
        self.aliases: dict[str, set[int]] = {}

    def resolve(self, label: str) -> tuple[int | None, bool]:
        """(position, ambiguous) for a reference written in the file."""
        key = norm(label)
        if key in self.keys:
            return self.keys[key], False
        found = self.aliases.get(key, set())
        return (next(iter(found)) if len(found) == 1 else None), len(found) > 1
