"""Search filters from request parameters or command options (one parser for both)."""

from datetime import date

from recolte.registry.params import parse_id

from .search import Filters

FIELDS = (
    "instrument",
    "campaign",
    "organisation",
    "nature",
    "pilot",
    "country",
    "language",
    "date_from",
    "date_to",
    "confidentiality",
)


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def parse_filters(get) -> Filters:
    """`get(name)` returns a raw value or None (a QueryDict's .get, or an options dict's)."""
    return Filters(
        instrument=get("instrument") or "",
        campaign=parse_id(get("campaign")),
        organisation=parse_id(get("organisation")),
        nature=get("nature") or "",
        pilot=parse_id(get("pilot")),
        country=(get("country") or "").upper(),
        language=get("language") or "",
        date_from=_date(get("date_from")),
        date_to=_date(get("date_to")),
        confidentiality=get("confidentiality") or "",
    )


def hit_json(hit) -> dict:
    p = hit.passage
    return {
        "id": p.pk,
        "text": p.text,
        "highlighted": str(hit.highlighted),
        "score": round(hit.score, 6),
        "parts": hit.parts,
        "resource": {"id": p.resource_id, "title": p.resource.title, "kind": p.resource.kind},
        "language": p.language,
        "start": p.start,
        "end": p.end,
        "url": hit.url,
    }
