"""The corpus's verbs: keyword-only, typed, called by views, commands and tasks alike.

Processing (splitting, linking, embedding, indexing) is `pipeline`'s; its runs are `runs`'.
"""

from __future__ import annotations

from django.db import transaction

from recolte.registry.models import Organisation

from . import retrieval
from .link import Linker
from .models import UnknownEntity
from .pipeline import link_passages, recount_unknown


def unknown_entity_ignore(*, entity: UnknownEntity) -> None:
    """The name is not an organisation: it leaves the list of names to map."""
    entity.ignored = True
    entity.save(update_fields=["ignored"])


@transaction.atomic
def unknown_entity_map(*, entity: UnknownEntity, organisation: Organisation) -> None:
    """The name is `organisation`: it becomes one of its aliases, and the passages naming it are
    linked again as processing now would (so they mention the organisation)."""
    if entity.surface not in organisation.alias_list():
        organisation.aliases = "\n".join([*organisation.alias_list(), entity.surface])
        organisation.save(update_fields=["aliases"])
    entity.mapped_to = organisation
    entity.save(update_fields=["mapped_to"])
    passages = list(entity.passages.filter(retired_in__isnull=True))
    linker = Linker.for_programme(organisation.programme)
    recount_unknown(link_passages(entity.programme_id, passages, linker))
    retrieval.invalidate(entity.programme_id)
