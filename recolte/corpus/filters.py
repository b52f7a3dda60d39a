"""Search filters from request parameters or command options (one parser for both)."""

from recolte.collection.filters import material_filters

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


def parse_filters(get) -> Filters:
    """`get(name)` returns a raw value or None (a QueryDict's .get, or an options dict's)."""
    return Filters(
        **material_filters(get),
        nature=get("nature") or "",
        country=(get("country") or "").upper(),
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
