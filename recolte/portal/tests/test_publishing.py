"""Publish and unpublish: the verbs, who may use them, and the button placed on staff pages."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from recolte.collection.models import Confidentiality
from recolte.portal import services
from recolte.portal.models import PublicationEvent
from recolte.portal.tests.helpers import campaign_synthesis, client_for, finished_report, resource

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def publish_url(world, kind: str, pk: int, slug: str | None = None) -> str:
    return reverse("portal:publish", args=[slug or world.programme.slug, kind, pk])


def test_programme_and_pilot_verbs_log_who_and_when(world):
    admin = world.users["admin"]
    assert services.programme_publish(world.programme, by=admin)
    assert not services.programme_publish(world.programme, by=admin)  # twice changes nothing
    assert services.pilot_publish(world.pilot, by=admin)
    world.programme.refresh_from_db()
    world.pilot.refresh_from_db()
    assert world.programme.is_published and world.pilot.is_published
    assert services.published_at("pilot", world.pilot.pk) is not None
    assert services.pilot_unpublish(world.pilot, by=admin)
    world.pilot.refresh_from_db()
    assert not world.pilot.is_published
    assert services.published_at("pilot", world.pilot.pk) is None
    log = list(PublicationEvent.objects.values_list("kind", "verb", "by"))
    assert log == [
        ("pilot", "unpublish", admin.pk),
        ("pilot", "publish", admin.pk),
        ("programme", "publish", admin.pk),
    ]


def test_withdrawn_resource_returns_to_its_former_level(world):
    doc = resource(world, "Notes de l'animatrice.", "Notes", Confidentiality.FACILITATORS)
    assert services.resource_publish(doc, by=None)
    doc.refresh_from_db()
    assert doc.confidentiality == Confidentiality.PUBLISHED
    assert services.resource_unpublish(doc, by=None)
    doc.refresh_from_db()
    assert doc.confidentiality == Confidentiality.FACILITATORS
    assert not services.resource_unpublish(doc, by=None)


def test_synthesis_and_report_publish_through_the_synthesis_room(world, settings):
    settings.TASKS = IMMEDIATE  # a report's files render in a task, here at once
    synthesis = campaign_synthesis(world, text="Analyse.")  # an empty one is refused
    report = finished_report(world)
    for obj in (synthesis, report):
        assert services.synthesis_set_published(obj, True, by=world.users["facilitator"])
        obj.refresh_from_db()
        assert obj.is_published and obj.published_at is not None
        assert services.synthesis_set_published(obj, False, by=world.users["facilitator"])
        obj.refresh_from_db()
        assert not obj.is_published and obj.published_at is None
    assert PublicationEvent.objects.filter(kind__in=["synthesis", "report"]).count() == 4


@pytest.mark.parametrize("who", ["admin", "facilitator"])
def test_staff_publish_and_unpublish_a_pilot_sheet(world, who):
    client = client_for(world, who)
    back = reverse("registry:pilot", args=[world.programme.slug, world.pilot.pk])
    url = publish_url(world, "pilot", world.pilot.pk)
    response = client.post(url, {"verb": "publish", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    world.pilot.refresh_from_db()
    assert world.pilot.is_published
    client.post(url, {"verb": "unpublish", "next": "https://evil.example/"})
    world.pilot.refresh_from_db()
    assert not world.pilot.is_published


@pytest.mark.parametrize(
    ("kind", "target"),
    [
        ("programme", "programme"),
        ("pilot", "pilot"),
        ("resource", "doc"),
        ("synthesis", "syn"),
        ("report", "report"),
    ],
)
def test_every_kind_is_published_by_its_button(world, kind, target, settings):
    settings.TASKS = IMMEDIATE  # a report's files render in a task, here at once
    objects = {
        "programme": world.programme,
        "pilot": world.pilot,
        "doc": resource(world, "Un texte.", "Texte"),
        "syn": campaign_synthesis(world, text="Analyse."),
        "report": finished_report(world),
    }
    obj = objects[target]
    client = client_for(world, "facilitator")
    client.post(publish_url(world, kind, obj.pk), {"verb": "publish"})
    obj.refresh_from_db()
    public = obj.confidentiality == "published" if kind == "resource" else obj.is_published
    assert public


@pytest.mark.parametrize(
    ("who", "status"), [("contributor", 403), ("reader", 403), ("team", 403), ("outsider", 404)]
)
def test_others_may_not_publish(world, who, status):
    client = client_for(world, who)
    for kind, pk in (("programme", world.programme.pk), ("pilot", world.pilot.pk)):
        assert client.post(publish_url(world, kind, pk), {"verb": "publish"}).status_code == status
    page = reverse("portal:publication", args=[world.programme.slug])
    assert client.get(page).status_code == status
    world.programme.refresh_from_db()
    world.pilot.refresh_from_db()
    assert not world.programme.is_published and not world.pilot.is_published


def test_anonymous_is_sent_to_login_and_get_is_refused(world):
    url = publish_url(world, "pilot", world.pilot.pk)
    anonymous = client_for(world, "anonymous").post(url, {"verb": "publish"})
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert client_for(world, "facilitator").get(url).status_code == 405


def test_objects_of_another_programme_or_unknown_kinds_are_404(world):
    client = client_for(world, "facilitator")
    other_pilot = world.other_programme.pilot_operations.create(
        code="x",
        title="Ailleurs",
        lead=world.other_programme.organisations.create(name="Autre", nature="ngo"),
    )
    assert client.post(publish_url(world, "pilot", other_pilot.pk)).status_code == 404
    programme_pk = world.other_programme.pk
    assert client.post(publish_url(world, "programme", programme_pk)).status_code == 404
    assert client.post(publish_url(world, "organisation", world.lead.pk)).status_code == 404
    other_pilot.refresh_from_db()
    assert not other_pilot.is_published


def _button(world, obj, who: str) -> str:
    request = RequestFactory().get("/p/prog/pilots/1/")
    request.user = world.users[who]
    context = {"obj": obj, "programme": world.programme, "user": request.user}
    return render_to_string("portal/_publish_button.html", context, request=request)


def test_publish_button_for_staff_only(world):
    assert 'value="publish"' in _button(world, world.pilot, "facilitator")
    assert _button(world, world.pilot, "reader").strip() == ""
    assert _button(world, world.pilot, "contributor").strip() == ""
    services.pilot_publish(world.pilot, by=None)
    services.programme_publish(world.programme, by=None)
    staff = _button(world, world.pilot, "facilitator")
    assert 'value="unpublish"' in staff
    assert reverse("portal:pilot", args=[world.programme.slug, world.pilot.code]) in staff
    assert 'data-state="published"' in _button(world, world.pilot, "reader")


def test_publication_page_lists_what_can_be_published(world):
    resource(world, "Public.", "Fiche publique", Confidentiality.PUBLISHED)
    page = client_for(world, "facilitator").get(
        reverse("portal:publication", args=[world.programme.slug])
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert world.pilot.title in body and "Fiche publique" in body
    assert body.count('value="publish"') == 2  # the programme and its pilot sheet


def test_an_empty_synthesis_is_refused_by_the_publication_page(world):
    empty = campaign_synthesis(world)
    client = client_for(world, "facilitator")
    page = client.post(
        publish_url(world, "synthesis", empty.pk),
        {"verb": "publish"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    empty.refresh_from_db()
    assert not empty.is_published and not PublicationEvent.objects.exists()
    assert "rien à publier" in page.content.decode()
