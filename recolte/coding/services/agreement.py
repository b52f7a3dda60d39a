"""Agreement rounds: give resources to two coders, then settle what they disagree on."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from recolte.coding.models import Assignment, Coding
from recolte.coding.services.codings import coding_create, coding_delete
from recolte.collection.models import Resource
from recolte.registry.models import Programme


@transaction.atomic
def assignments_add(
    *, programme: Programme, round: str, resources: Iterable[Resource], coders: Iterable
) -> str:
    """Give every resource to every coder in round `round` (kept once); return the round name."""
    name = round.strip()
    coders = list(coders)
    for resource in resources:
        for coder in coders:
            Assignment.objects.get_or_create(
                programme=programme, round=name, resource=resource, coder=coder
            )
    return name


@transaction.atomic
def disagreement_settle(*, codings: list[Coding], accept: bool, other, by) -> int:
    """Resolve a disagreement: copy the codings to the other coder, or withdraw them."""
    for coding in codings:
        if accept:
            coding_create(
                version=coding.version,
                start=coding.start,
                end=coding.end,
                code=coding.code,
                coder=other,
                memo=coding.memo,
            )
        else:
            coding_delete(coding=coding, user=by)
    return len(codings)
