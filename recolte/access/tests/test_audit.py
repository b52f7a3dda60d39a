"""The audit log: confidential reads, exports, level changes and publications leave one line
each; programme admins read and export their programme's lines only."""

import csv
import io

from django.urls import reverse

from recolte.access import audit
from recolte.access.models import AuditEvent
from recolte.collection.models import Confidentiality
from recolte.collection.services import ResourceMeta, resource_create
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
