"""The actor network of a programme as plain data: organisations and their shared operations."""

from collections.abc import Callable
from typing import Any

from recolte.registry.models import (
    ORGANISATION_FIELDS,
    FieldSpec,
    Organisation,
    Partnership,
    Programme,
)


def _map_value(organisation: Organisation, spec: FieldSpec) -> Any:
    value = getattr(organisation, spec.name)
    return value.pk if spec.field.is_relation and value is not None else value


def actor_network(
    programme: Programme, *, url_for: Callable[[Organisation], str] | None = None
) -> dict:
    """Organisations of a programme as nodes, lead–partner ties as weighted edges.

    A node carries the fields of `ORGANISATION_FIELDS` marked `on_map` (relations by key).

    An edge joins a pilot's lead and one of its partners; its weight is the number of pilot
    operations the two share. `degree` counts distinct partners of a node.
    """
    url_for = url_for or Organisation.get_absolute_url
    orgs = list(programme.organisations.order_by("pk"))
    ids = {o.pk for o in orgs}
    pairs: dict[tuple[int, int], dict[int, str]] = {}
    pilots_of: dict[int, set[int]] = {o.pk: set() for o in orgs}
    ties = Partnership.objects.filter(pilot__programme=programme).select_related("pilot")
    for tie in ties.order_by("pilot__title", "pilot_id", "pk"):
        lead, partner = tie.pilot.lead_id, tie.organisation_id
        if partner in pilots_of:
            pilots_of[partner].add(tie.pilot_id)
        if lead == partner or lead not in ids or partner not in ids:
            continue
        pairs.setdefault((min(lead, partner), max(lead, partner)), {})[tie.pilot_id] = (
            tie.pilot.title
        )
    for pilot_id, lead in programme.pilot_operations.values_list("pk", "lead_id"):
        if lead in pilots_of:
            pilots_of[lead].add(pilot_id)
    degree = dict.fromkeys(ids, 0)
    for a, b in pairs:
        degree[a] += 1
        degree[b] += 1
    shown = [spec for spec in ORGANISATION_FIELDS if spec.on_map]
    nodes = [
        {
            "id": o.pk,
            "label": o.label,
            "name": o.name,
            **{spec.name: _map_value(o, spec) for spec in shown},
            "degree": degree[o.pk],
            "pilots": len(pilots_of[o.pk]),
            "url": url_for(o),
        }
        for o in orgs
    ]
    edges = [
        {"source": a, "target": b, "weight": len(titles), "pilots": list(titles.values())}
        for (a, b), titles in sorted(pairs.items())
    ]
    return {"nodes": nodes, "edges": edges}
