"""The registry's house rules: writes through services with plain values, one partner rule,
one organisation field list read by the form, the exchange and the actor map."""

import json
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from recolte.registry import services
from recolte.registry.exchange import RegistryImportError, registry_export, registry_import
from recolte.registry.exchange.xlsx_format import COLUMNS
from recolte.registry.forms import OrganisationForm
from recolte.registry.maps import actor_map_svg, actor_network
from recolte.registry.models import ORGANISATION_FIELDS, Organisation, PilotOperation

ROOT = Path(__file__).resolve().parents[3]
# Model and queryset writes (a dict's or a context's update() is not one).
WRITES = re.compile(
    r"\.(save|create|get_or_create|update_or_create|bulk_create|delete)\(|objects\..*\.update\("
)


@pytest.mark.parametrize(
    "path",
    ["recolte/registry/views.py"]
    + sorted(str(p.relative_to(ROOT)) for p in (ROOT / "recolte/coding").glob("views*.py")),
)
def test_no_view_writes_to_the_database(path):
    assert not WRITES.findall((ROOT / path).read_text()), f"{path} writes: use a service"


def test_every_organisation_field_has_a_spec_read_by_form_exchange_and_map(world):
    editable = [
        f.name
        for f in Organisation._meta.get_fields()
        if f.concrete and f.editable and not f.auto_created and f.name != "programme"
    ]
    names = [spec.name for spec in ORGANISATION_FIELDS]
    assert sorted(names) == sorted(editable)  # a new model field needs its spec
    assert list(OrganisationForm.base_fields) == names
    exported = [spec.name for spec in ORGANISATION_FIELDS if spec.exported]
    assert list(COLUMNS["organisations"]) == exported
    document = json.loads(registry_export(programme=world.programme, fmt="json"))
    assert all(list(org) == exported for org in document["organisations"])
    node = actor_network(world.programme)["nodes"][0]
    assert {spec.name for spec in ORGANISATION_FIELDS if spec.on_map} <= set(node)


def test_a_field_flagged_on_map_reaches_node_data_and_tooltip(world, monkeypatch):
    from recolte.registry.maps import data, svg

    specs = tuple(
        spec.__class__(spec.name, on_map=True) if spec.name == "city" else spec
        for spec in ORGANISATION_FIELDS
    )
    monkeypatch.setattr(data, "ORGANISATION_FIELDS", specs)
    monkeypatch.setattr(svg, "ORGANISATION_FIELDS", specs)
    world.lead.city = "Kayes"
    world.lead.save()
    network = actor_network(world.programme)
    node = next(n for n in network["nodes"] if n["id"] == world.lead.pk)
    assert node["city"] == "Kayes"
    assert "Kayes" in actor_map_svg(network)


def test_pilot_save_takes_plain_values_and_sets_exactly_the_partners(world):
    other = Organisation.objects.create(programme=world.programme, name="Coop", nature="other")
    pilot = services.pilot_save(
        programme=world.programme,
        pilot=world.pilot,
        values={"title": "Renamed", "countries": ["ML"]},
        partners=[(other, "supplier")],
    )
    pilot.refresh_from_db()
    assert pilot.title == "Renamed" and [c.code for c in pilot.countries.all()] == ["ML"]
    assert [(p.organisation, p.role) for p in pilot.partnerships.all()] == [(other, "supplier")]


def test_one_partner_rule_for_the_form_and_the_import(world):
    lead = world.pilot.lead
    with pytest.raises(ValidationError) as refused:
        services.pilot_save(
            programme=world.programme, pilot=world.pilot, values={}, partners=[(lead, "")]
        )
    rule = services.partner_problem(lead=1, earlier=[], partner=1)
    assert refused.value.messages == [rule]
    assert PilotOperation.objects.get(pk=world.pilot.pk).partnerships.exists()  # untouched
    document = json.loads(registry_export(programme=world.programme, fmt="json"))
    pilot = document["pilot_operations"][0]
    pilot["partners"].append({"organisation": pilot["lead"], "role": ""})
    with pytest.raises(RegistryImportError) as caught:
        registry_import(data=document)
    assert [p.message for p in caught.value.problems] == [rule]


def test_programme_create_makes_its_creator_administrator(world):
    user = world.users["reader"]
    programme = services.programme_create(
        by=user, values={"slug": "new", "name": "New", "start_year": 2024, "end_year": 2025}
    )
    assert programme.memberships.get().user == user


def test_commands_share_one_stand_in_user():
    commands = list(ROOT.glob("recolte/*/management/commands/*.py"))
    stand_ins = [p.name for p in commands if "is_superuser = True" in p.read_text()]
    assert stand_ins == []  # they use recolte.registry.staff.COMMAND_USER
    users = [p.name for p in commands if "COMMAND_USER" in p.read_text()]
    assert {"search.py", "eval_search.py"} <= set(users)
