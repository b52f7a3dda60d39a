"""One reader of the material filters that the library, search and syntheses share.

Every page reads `instrument`, `campaign`, `organisation`, `pilot` (an id), `language`,
`date_from`, `date_to` and `confidentiality` from its query the same way: malformed values are
ignored, never an error, so a hand-edited link shows everything rather than failing.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from django.utils.dateparse import parse_date

from recolte.collection.models import Confidentiality, Instrument, Resource
from recolte.registry.params import parse_id

Get = Callable[[str], str | None]  # a QueryDict's .get, or a command's options .get


def _day(value: str | None) -> date | None:
    try:
        return parse_date(value or "")
    except ValueError:
        return None


def _choice(value: str | None, choices: list[str]) -> str:
    return value if value in choices else ""


def material_filters(get: Get) -> dict[str, Any]:
    """The filters every page of material reads, as keyword arguments of its own filter type."""
    return {
        "instrument": _choice(get("instrument"), Instrument.values),
        "campaign": parse_id(get("campaign")),
        "organisation": parse_id(get("organisation")),
        "pilot": parse_id(get("pilot")),
        "language": (get("language") or "").strip()[:8],
        "date_from": _day(get("date_from")),
        "date_to": _day(get("date_to")),
        "confidentiality": _choice(get("confidentiality"), Confidentiality.values),
    }


@dataclass(frozen=True)
class LibraryFilters:
    instrument: str = ""
    campaign: int | None = None
    organisation: int | None = None
    pilot: int | None = None
    language: str = ""
    date_from: date | None = None
    date_to: date | None = None
    kind: str = ""
    confidentiality: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> "LibraryFilters":
        """Read filters from GET parameters; malformed values are ignored, never an error."""
        return cls(
            **material_filters(params.get),
            kind=_choice(params.get("kind"), Resource.Kind.values),
            q=(params.get("q") or "").strip()[:200],
        )

    def as_query(self) -> dict[str, str]:
        """The non-empty filters as GET parameters (for pagination links)."""
        return {
            f.name: str(getattr(self, f.name))
            for f in fields(self)
            if getattr(self, f.name) not in (None, "")
        }
