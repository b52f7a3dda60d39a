"""Every registry page × every role: allowed, forbidden (403), not found (404), login (302)."""

import pytest
from django.urls import reverse

ROLES = ["admin", "facilitator", "team", "contributor", "reader", "outsider", "anonymous"]
READ = {
    "admin": 200,
    "facilitator": 200,
    "team": 200,
    "contributor": 200,
    "reader": 200,
    "outsider": 404,
    "anonymous": 302,
}
EDIT = {**READ, "contributor": 403, "reader": 403}


def pages(world):
    slug, org, pilot = world.programme.slug, world.lead.pk, world.pilot.pk
    axis = world.programme.axes.first().pk
    person = world.lead.people.create(first_name="Awa").pk
    return [
        ("registry:dashboard", [slug], READ),
        ("registry:organisations", [slug], READ),
        ("registry:organisation", [slug, org], READ),
        ("registry:pilots", [slug], READ),
        ("registry:pilot", [slug, pilot], READ),
        ("registry:actor_map", [slug], READ),
        ("registry:world_map", [slug], READ),
        ("registry:programme_edit", [slug], EDIT),
        ("registry:axis_create", [slug], EDIT),
        ("registry:axis_edit", [slug, axis], EDIT),
        ("registry:organisation_create", [slug], EDIT),
        ("registry:organisation_edit", [slug, org], EDIT),
        ("registry:person_create", [slug], EDIT),
        ("registry:person_edit", [slug, person], EDIT),
        ("registry:pilot_create", [slug], EDIT),
        ("registry:pilot_edit", [slug, pilot], EDIT),
    ]


@pytest.mark.parametrize("who", ROLES)
def test_every_page_answers_by_role(client, world, who):
    if who != "anonymous":
        client.force_login(world.users[who])
    for name, args, expected in pages(world):
        response = client.get(reverse(name, args=args))
        assert response.status_code == expected[who], (name, who, response.status_code)
        if expected[who] == 302:
            assert response["Location"].startswith(reverse("login"))


def test_objects_of_another_programme_are_not_found(client, world):
    client.force_login(world.users["facilitator"])
    stranger = world.other_programme.organisations.create(name="Ailleurs", nature="ngo")
    url = reverse("registry:organisation", args=[world.programme.slug, stranger.pk])
    assert client.get(url).status_code == 404


def test_superuser_is_admin_everywhere(client, world, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", password="x-long-passphrase")
    client.force_login(boss)
    assert (
        client.get(
            reverse("registry:programme_edit", args=[world.other_programme.slug])
        ).status_code
        == 200
    )


def test_home_lists_only_my_programmes(client, world):
    client.force_login(world.users["reader"])
    page = client.get(reverse("home")).content.decode()
    assert world.programme.name in page and world.other_programme.name not in page


def test_forbidden_post_changes_nothing(client, world):
    client.force_login(world.users["reader"])
    url = reverse("registry:organisation_edit", args=[world.programme.slug, world.lead.pk])
    response = client.post(url, {"name": "Piraté", "nature": "ngo"})
    assert response.status_code == 403
    world.lead.refresh_from_db()
    assert world.lead.name == "Association Alpha"
