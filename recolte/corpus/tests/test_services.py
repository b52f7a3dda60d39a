"""The corpus's verbs, as views, commands and tasks call them."""

from recolte.corpus import services
from recolte.corpus.models import Mention, UnknownEntity
from recolte.corpus.pipeline import process_version
from recolte.corpus.tests.helpers import add, new_version

TEXT = "Le GRET et le comité de gestion. Plus tard, le GRET a formé les femmes."


def mentions(resource) -> set[tuple]:
    rows = Mention.objects.filter(passage__resource=resource, passage__retired_in__isnull=True)
    return set(rows.values_list("organisation_id", "start", "end", "surface"))


def test_mapping_a_name_links_it_as_processing_would(world):
    resource = add(world, TEXT)
    entity = UnknownEntity.objects.get(programme=world.programme, surface="GRET")
    services.unknown_entity_map(entity=entity, organisation=world.partner)
    world.partner.refresh_from_db()
    assert "GRET" in world.partner.alias_list()
    linked = mentions(resource)
    assert {(world.partner.pk, 3, 7, "GRET"), (world.partner.pk, 47, 51, "GRET")} <= linked
    process_version(new_version(resource, TEXT + "\n\nFin."))  # what processing would link
    assert mentions(resource) == linked
    entity.refresh_from_db()
    assert entity.mapped_to == world.partner and entity.count == 0  # no longer unknown


def test_ignoring_a_name(world):
    add(world, TEXT)
    entity = UnknownEntity.objects.get(programme=world.programme, surface="GRET")
    services.unknown_entity_ignore(entity=entity)
    entity.refresh_from_db()
    assert entity.ignored and entity.mapped_to is None
