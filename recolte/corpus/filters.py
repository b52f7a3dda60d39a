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


def hit_json(hit, *, why: bool = False) -> dict:
    """A hit for JSON clients; how the engine ranked it (`why`) only for those who code."""
    p = hit.passage
    found = {
        "id": p.pk,
        "text": p.text,
        "highlighted": str(hit.highlighted),
        "question": hit.question,
        "similar": [s.pk for s in hit.similar],
        "resource": {"id": p.resource_id, "title": p.resource.title, "kind": p.resource.kind},
        "language": p.language,
        "start": p.start,
        "end": p.end,
        "url": hit.url,
    }
    if why:
        found |= {"score": round(hit.score, 6), "parts": hit.parts, "matched": hit.matched}
    return found
