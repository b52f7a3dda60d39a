import re

from django.contrib.auth.models import Permission
from django.urls import reverse

from recolte.registry.models import Organisation, PilotOperation, Programme


def login(client, world, role="facilitator"):
    client.force_login(world.users[role])


def test_dashboard_counts_from_the_data(client, world):
    login(client, world, "reader")
    page = client.get(reverse("registry:dashboard", args=["prog"])).content.decode()
    facts = dict(re.findall(r'data-fact="(\w+)">(?:<a [^>]*>)?(\d+)<', page))
    assert facts == {
        "member": "1",
        "pilots": "1",
        "involved": "2",
        "organisations": "2",
        "countries": "2",
        "continents": "2",
    }
    assert "Opération un" in page


def test_directory_filters(client, world):
    login(client, world, "reader")
    url = reverse("registry:organisations", args=["prog"])
    assert "Commune de Beta" not in client.get(url, {"standing": "member"}).content.decode()
    only_partners = client.get(url, {"standing": "partner"}).content.decode()
    assert "Commune de Beta" in only_partners and "Association Alpha" not in only_partners
    by_nature = client.get(url, {"nature": "local_authority"}, HTTP_HX_REQUEST="true")
    # HTMX asks for the rows only, not the whole page.
    assert (
        "<html" not in by_nature.content.decode()
        and "Commune de Beta" in by_nature.content.decode()
    )
    assert "Association Alpha" in client.get(url, {"country": "FR", "q": "alp"}).content.decode()


def test_organisation_page_lists_roles(client, world):
    login(client, world, "reader")
    page = client.get(
        reverse("registry:organisation", args=["prog", world.partner.pk])
    ).content.decode()
    assert "Opération un" in page and "co-pilote" in page


def test_pilot_sheet(client, world):
    login(client, world, "reader")
    page = client.get(reverse("registry:pilot", args=["prog", world.pilot.pk])).content.decode()
    for text in ("Association Alpha", "Commune de Beta", "Mali", "France", "co-pilote"):
        assert text in page


def test_create_pilot_with_partners(client, world):
    login(client, world)
    new_org = Organisation.objects.create(
        programme=world.programme, name="Coop Gamma", nature="cooperative"
    )
    data = {
        "title": "Opération deux",
        "code": "op2",
        "lead": world.partner.pk,
        "countries": ["ML"],
        "territories": "Kayes",
        "partnerships-TOTAL_FORMS": "2",
        "partnerships-INITIAL_FORMS": "0",
        "partnerships-0-organisation": new_org.pk,
        "partnerships-0-role": "fournisseur",
        "partnerships-1-organisation": "",
        "partnerships-1-role": "",
    }
    response = client.post(reverse("registry:pilot_create", args=["prog"]), data)
    assert response.status_code == 302
    pilot = PilotOperation.objects.get(code="op2")
    assert pilot.lead == world.partner
    assert [p.organisation for p in pilot.partnerships.all()] == [new_org]


def test_pilot_form_refuses_lead_as_partner(client, world):
    login(client, world)
    data = {
        "title": "Opération trois",
        "code": "op3",
        "lead": world.lead.pk,
        "partnerships-TOTAL_FORMS": "1",
        "partnerships-INITIAL_FORMS": "0",
        "partnerships-0-organisation": world.lead.pk,
        "partnerships-0-role": "",
    }
    response = client.post(reverse("registry:pilot_create", args=["prog"]), data)
    assert response.status_code == 200
    assert not PilotOperation.objects.filter(code="op3").exists()
    assert "déjà" in response.content.decode()  # French by default


def test_validation_errors_next_to_the_field_in_each_language(client, world):
    login(client, world)
    url = reverse("registry:organisation_create", args=["prog"])
    french = client.post(url, {"name": "", "nature": "ngo"}).content.decode()
    assert 'class="field has-error required"' in french and "Ce champ est obligatoire" in french
    client.post(reverse("set_language"), {"language": "en"})
    english = client.post(url, {"name": "Association Alpha", "nature": "ngo"}).content.decode()
    assert "An organisation with this name already exists." in english


NEW_PROGRAMME = {
    "name": "Nouveau",
    "slug": "nouveau",
    "start_year": 2024,
    "end_year": 2027,
    "currency": "EUR",
}


def test_programme_creation_is_a_platform_permission(client, world, settings):
    create = reverse("registry:programme_create")
    login(client, world, "admin")  # administers a programme, holds no platform permission
    assert create not in client.get(reverse("home")).content.decode()
    assert client.get(create).status_code == 403
    assert client.post(create, NEW_PROGRAMME).status_code == 403
    assert not Programme.objects.filter(slug="nouveau").exists()
    settings.RECOLTE_OPEN_PROGRAMME_CREATION = True
    assert create in client.get(reverse("home")).content.decode()
    assert client.post(create, NEW_PROGRAMME).status_code == 302


def test_programme_create_makes_the_creator_admin(client, world):
    reader = world.users["reader"]
    reader.user_permissions.add(Permission.objects.get(codename="add_programme"))
    login(client, world, "reader")
    assert reverse("registry:programme_create") in client.get(reverse("home")).content.decode()
    data = {**NEW_PROGRAMME, "end_year": 2022}
    response = client.post(reverse("registry:programme_create"), data)
    assert response.status_code == 200 and not Programme.objects.filter(slug="nouveau").exists()
    data["end_year"] = 2027
    assert client.post(reverse("registry:programme_create"), data).status_code == 302
    assert client.get(reverse("registry:programme_edit", args=["nouveau"])).status_code == 200


def test_maps_draw_the_programme(client, world):
    login(client, world, "reader")
    actors = client.get(reverse("registry:actor_map", args=["prog"])).content.decode()
    assert actors.count("data-org-id=") == 2
    world_page = client.get(reverse("registry:world_map", args=["prog"])).content.decode()
    assert "<svg" in world_page and "Mali" in world_page
