"""E-mail replies: matched by sender, linked to the campaign, unmatched ones reviewed."""

from email.message import EmailMessage

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recolte.collection.models import Campaign, PendingMail, Resource, Response
from recolte.collection.services import ResourceMeta, files_import, mail_import, match_organisation
from recolte.registry.models import Person


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def senders(world):
    Person.objects.create(organisation=world.lead, first_name="Awa", email="Awa@Alpha.example")
    world.partner.website = "https://www.commune-beta.ml/"
    world.partner.save()
    return world


@pytest.fixture
def campaign(world):
    return Campaign.objects.create(
        programme=world.programme,
        title="Question ponctuelle : l’eau",
        instrument="one_off_question",
        audience="all_members",
    )


def mail(sender: str, subject: str, body: str, attachment: bytes | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "capitalisation@example.org", subject
    msg["Date"] = "Tue, 03 Mar 2026 10:15:00 +0000"
    msg.set_content(body)
    if attachment:
        msg.add_attachment(attachment, maintype="text", subtype="plain", filename="annexe.txt")
    return msg.as_bytes()


def mbox(*messages: bytes) -> bytes:
    return b"".join(b"From x@y Tue Mar  3 10:15:00 2026\n" + m + b"\n" for m in messages)


def test_sender_matching(senders):
    programme = senders.programme
    assert match_organisation(programme, "Awa <awa@alpha.example>") == senders.lead
    assert match_organisation(programme, "maire@commune-beta.ml") == senders.partner
    assert match_organisation(programme, "sg@mairie.commune-beta.ml") == senders.partner
    assert match_organisation(programme, "x@autre-beta.ml") is None
    assert match_organisation(programme, "pas une adresse") is None


def test_matched_reply_becomes_the_organisations_response(senders, campaign):
    data = mail(
        "Awa <awa@alpha.example>",
        "Re: l’eau",
        "Le forage fonctionne.",
        attachment="Annexe : relevés du forage.".encode(),
    )
    outcomes = mail_import(
        data,
        "reponse.eml",
        programme=senders.programme,
        meta=ResourceMeta(campaign_id=campaign.pk),
    )
    assert [o.status for o in outcomes] == ["imported", "imported"]
    reply = outcomes[0].resource
    assert reply.kind == Resource.Kind.RESPONSE and reply.campaign == campaign
    assert reply.instrument == "one_off_question" and str(reply.date) == "2026-03-03"
    assert list(reply.organisations.all()) == [senders.lead]
    assert "Le forage fonctionne." in reply.current.text
    assert reply.current.extra["messages"][0]["from"] == "Awa <awa@alpha.example>"
    response = Response.objects.get(campaign=campaign, organisation=senders.lead)
    assert (response.channel, response.status, response.resource) == ("email", "submitted", reply)
    annexe = outcomes[1].resource
    assert annexe.current.text == "Annexe : relevés du forage."
    assert list(annexe.organisations.all()) == [senders.lead]


def test_mbox_messages_are_split_matched_held_and_deduplicated(senders):
    box = mbox(
        mail("maire@commune-beta.ml", "Bilan", "La commune a voté le budget."),
        mail("inconnu@ailleurs.org", "Question", "Qui êtes-vous ?"),
    )
    outcomes = mail_import(box, "boite.mbox", programme=senders.programme, meta=ResourceMeta())
    assert [(o.label, o.status) for o in outcomes] == [
        ("boite.mbox #1", "imported"),
        ("boite.mbox #2", "held"),
    ]
    assert Resource.objects.get().kind == Resource.Kind.EMAIL
    held = PendingMail.objects.get()
    assert held.sender == "inconnu@ailleurs.org" and "Qui êtes-vous ?" in held.body
    again = mail_import(box, "boite.mbox", programme=senders.programme, meta=ResourceMeta())
    assert [o.status for o in again] == ["duplicate", "duplicate"]
    assert Resource.objects.count() == 1 and PendingMail.objects.count() == 1


def test_explicit_organisation_wins_over_matching(senders, tmp_path):
    (tmp_path / "a.eml").write_bytes(mail("inconnu@ailleurs.org", "Note", "Texte du message."))
    report = files_import(
        [tmp_path / "a.eml"],
        programme=senders.programme,
        meta=ResourceMeta(organisations=[senders.partner]),
    )
    assert len(report.imported) == 1 and not report.held
    assert list(Resource.objects.get().organisations.all()) == [senders.partner]


def test_review_screen_assigns_and_discards(client, senders, campaign):
    meta = ResourceMeta(campaign_id=campaign.pk)
    for number in (1, 2):
        mail_import(
            mail(f"x{number}@ailleurs.org", f"Sujet {number}", "Corps du message."),
            f"m{number}.eml",
            programme=senders.programme,
            meta=meta,
        )
    first, second = PendingMail.objects.order_by("pk")
    client.force_login(senders.users["facilitator"])
    review = client.get(reverse("collection:mail_review", args=[senders.programme.slug]))
    assert "Sujet 1" in review.text and "Sujet 2" in review.text
    decide = "collection:mail_decide"
    client.post(
        reverse(decide, args=[senders.programme.slug, first.pk]),
        {"action": "assign", "organisation": senders.partner.pk},
    )
    client.post(reverse(decide, args=[senders.programme.slug, second.pk]), {"action": "discard"})
    assert not PendingMail.objects.exists()
    stored = Resource.objects.get()
    assert stored.title == "Sujet 1" and list(stored.organisations.all()) == [senders.partner]
    assert Response.objects.get(organisation=senders.partner).resource == stored


def test_mail_import_page(client, senders):
    client.force_login(senders.users["facilitator"])
    url = reverse("collection:mail_import", args=[senders.programme.slug])
    page = client.post(
        url,
        {
            "files": [
                SimpleUploadedFile("a.eml", mail("awa@alpha.example", "Bonjour", "Message.")),
                SimpleUploadedFile("b.eml", mail("qui@nulle.part", "Inconnu", "Message 2.")),
            ],
            "confidentiality": "programme",
        },
    )
    outcomes = page.context["outcomes"]
    assert [o.status for o in outcomes] == ["imported", "held"]
    assert page.context["pending"] == 1
    refused = client.post(
        url, {"files": [SimpleUploadedFile("a.docx", b"x")], "confidentiality": "programme"}
    )
    assert "files" in refused.context["form"].errors


def test_mail_pages_need_run_campaigns(client, senders):
    client.force_login(senders.users["contributor"])
    for name in ("mail_import", "mail_review"):
        assert (
            client.get(reverse(f"collection:{name}", args=[senders.programme.slug])).status_code
            == 403
        )


def test_review_screen_is_paginated(client, senders):
    PendingMail.objects.bulk_create(
        PendingMail(
            programme=senders.programme,
            subject=f"Sujet {n:03}",
            filename="lot.mbox",
            raw=b"",
            sha256=f"{n:064}",
        )
        for n in range(120)
    )
    client.force_login(senders.users["facilitator"])
    url = reverse("collection:mail_review", args=[senders.programme.slug])
    first = client.get(url)
    assert first.text.count('class="card"') == 50
    assert "Sujet 000" in first.text and "Sujet 050" not in first.text
    assert "Page 1 of 3" in first.text or "Page 1 sur 3" in first.text
    assert "?page=2" in first.text
    last = client.get(url, {"page": "3"})
    assert last.text.count('class="card"') == 20 and "Sujet 119" in last.text
    for hostile in ("abc", "-1", "99999999999999999999"):
        assert client.get(url, {"page": hostile}).status_code == 200
