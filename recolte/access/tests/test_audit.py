"""The audit log: confidential reads, exports, level changes and publications leave one line
each; programme admins read and export their programme's lines only."""

import csv
import io

import pytest
from django.urls import reverse

from recolte.access import audit
from recolte.access.models import AuditEvent
from recolte.collection import services as svc
from recolte.collection.models import Confidentiality
from recolte.collection.services import ResourceMeta, resource_create
from recolte.collection.tests.campaign_fixtures import first_question, logbook
from recolte.corpus.pipeline import process_version
from recolte.portal import services as publication

Verb = AuditEvent.Verb


def _resource(world, level: str, title: str = "Compte rendu"):
    meta = ResourceMeta(title=title, confidentiality=level, organisations=[world.lead])
    return resource_create(programme=world.programme, text="Un texte.", meta=meta)


def test_reading_unpublished_material_is_audited_once(client, world):
    secret = _resource(world, Confidentiality.FACILITATORS, "Secret")
    public = _resource(world, Confidentiality.PUBLISHED, "Public")
    client.force_login(world.users["facilitator"])
    assert client.get(secret.get_absolute_url()).status_code == 200
    assert client.get(public.get_absolute_url()).status_code == 200
    events = list(AuditEvent.objects.all())
    assert [(e.verb, e.target_id, e.username) for e in events] == [
        (Verb.VIEW, str(secret.pk), "prog-facilitator")
    ]
    assert events[0].programme == world.programme and events[0].ip == "127.0.0.1"


def test_exports_and_level_changes_and_publication_are_audited(client, world):
    resource = _resource(world, Confidentiality.PROGRAMME)
    admin = world.users["admin"]
    client.force_login(admin)
    assert client.get(reverse("coding:quotes", args=["prog"]), {"format": "csv"}).status_code == 200
    assert client.get(reverse("coding:quotes", args=["prog"])).status_code == 200  # a page: no line
    form = {"title": resource.title, "kind": resource.kind, "confidentiality": "facilitators"}
    edit = reverse("collection:resource_edit", args=["prog", resource.pk])
    assert client.post(edit, form).status_code == 302
    publication.resource_publish(resource, by=admin)
    publication.resource_unpublish(resource, by=admin)
    got = [(e.verb, e.target_type, e.target_label) for e in AuditEvent.objects.order_by("pk")]
    assert got == [
        (Verb.EXPORT, "export", "quotes-prog.csv"),
        (Verb.CHANGE, "collection.resource", resource.title),
        (Verb.PUBLISH, "collection.resource", resource.title),
        (Verb.UNPUBLISH, "collection.resource", resource.title),
    ]


def test_audit_page_for_programme_admins_with_filters_and_csv(client, world):
    ours = _resource(world, Confidentiality.FACILITATORS, "=HYPERLINK(1)")
    theirs = _resource(world, Confidentiality.FACILITATORS, "Ailleurs")
    theirs.programme = world.other_programme
    theirs.save()
    audit.record(user=world.users["facilitator"], verb=Verb.VIEW, target=ours)
    audit.record(
        user=world.users["admin"], verb=Verb.EXPORT, target="x.csv", programme=world.programme
    )
    audit.record(user=world.users["outsider"], verb=Verb.VIEW, target=theirs)
    url = reverse("programme_audit", args=["prog"])
    for role, status in [("facilitator", 403), ("reader", 403), ("outsider", 404)]:
        client.force_login(world.users[role])
        assert client.get(url).status_code == status, role
    client.force_login(world.users["admin"])
    page = client.get(url, {"verb": "view"}).content.decode()
    assert "=HYPERLINK(1)" in page and "x.csv" not in page and "Ailleurs" not in page
    assert "x.csv" in client.get(url, {"user": "admin"}).content.decode()
    assert client.get(url, {"date_from": "2026-13-45"}).status_code == 400
    assert client.get(url, {"verb": "nonsense"}).status_code == 400
    body = client.get(reverse("programme_audit_export", args=["prog"])).content.decode("utf-8-sig")
    cells = list(csv.reader(io.StringIO(body)))
    assert len(cells) == 3 and cells[0][0] == "when"
    assert "'=HYPERLINK(1)" in {c for row in cells for c in row}  # neutralised, not a formula
    assert not any("Ailleurs" in c for row in cells for c in row)


def test_platform_admins_see_every_programme(client, world, django_user_model):
    audit_url = reverse("platform_audit")
    client.force_login(world.users["admin"])
    assert client.get(audit_url).status_code == 403
    root = django_user_model.objects.create_superuser("root", password="x-long-passphrase")
    client.force_login(root)
    assert client.get(audit_url).status_code == 200
    assert client.get(reverse("programme_audit", args=["prog-other"])).status_code == 200


def test_audit_events_are_read_only_in_the_django_admin(admin_client, world):
    event = audit.record(user=None, verb=Verb.VIEW, target=world.programme)
    assert admin_client.get(reverse("admin:access_auditevent_changelist")).status_code == 200
    change = reverse("admin:access_auditevent_change", args=[event.pk])
    admin_client.post(change, {"username": "forged"})
    event.refresh_from_db()
    assert event.username == ""
    assert admin_client.get(reverse("admin:access_auditevent_add")).status_code == 403


def _processed(world, level: str, title: str, text: str):
    meta = ResourceMeta(title=title, confidentiality=level, organisations=[world.lead])
    made = resource_create(programme=world.programme, text=text, meta=meta)
    process_version(made.current)
    return made


def _views():
    return [(e.verb, e.target_type, e.target_label) for e in AuditEvent.objects.order_by("pk")]


@pytest.mark.parametrize("level, audited", [("facilitators", True), ("published", False)])
def test_response_page_of_unpublished_material_is_audited(client, world, level, audited):
    campaign = logbook(world)
    response = svc.response_for(campaign, world.lead, "browser")
    svc.answer_save(response=response, question=first_question(campaign), text="Une réponse.")
    svc.response_submit(response=response)
    response.refresh_from_db()
    response.resource.confidentiality = level
    response.resource.save()
    client.force_login(world.users["facilitator"])
    url = reverse("collection:response", args=["prog", campaign.pk, world.lead.pk])
    assert client.get(url).status_code == 200
    label = response.resource.title
    assert _views() == ([(Verb.VIEW, "collection.resource", label)] if audited else [])


def test_passages_fragment_and_similar_view_are_audited(client, world):
    secret = _processed(world, Confidentiality.FACILITATORS, "Secret", "Le puits du village.")
    public = _processed(world, Confidentiality.PUBLISHED, "Public", "Le puits de la commune.")
    client.force_login(world.users["facilitator"])
    for made in (secret, public):
        fragment = reverse("corpus:resource_passages", args=["prog", made.pk])
        assert client.get(fragment).status_code == 200
    assert _views() == [(Verb.VIEW, "collection.resource", "Secret")]
    AuditEvent.objects.all().delete()
    passage = public.passages.get()
    page = client.get(reverse("corpus:similar", args=["prog", passage.pk]))
    assert page.status_code == 200 and "village" in page.content.decode()  # the secret neighbour
    assert _views() == [(Verb.VIEW, "similar", str(passage))]


def test_one_audit_line_per_search_that_showed_unpublished_passages(client, world):
    for n in range(3):
        _processed(world, Confidentiality.PROGRAMME, f"Interne {n}", f"Le puits numéro {n}.")
    _processed(world, Confidentiality.PUBLISHED, "Public", "La cantine scolaire rénovée.")
    client.force_login(world.users["facilitator"])
    api = reverse("corpus:api_search", args=["prog"])
    assert len(client.get(api, {"q": "puits", "limit": 2}).json()["hits"]) == 2
    assert client.get(reverse("corpus:search", args=["prog"]), {"q": "puits"}).status_code == 200
    assert _views() == [(Verb.VIEW, "search", "puits")] * 2  # one per search, not one per hit
    client.force_login(world.users["reader"])  # sees published material only: nothing to log
    assert client.get(api, {"q": "cantine"}).json()["hits"]
    assert len(_views()) == 2
