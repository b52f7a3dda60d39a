"""Invitation links: open one organisation's response only, expire, can be withdrawn."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from recolte.collection import services as svc
from recolte.collection.models import Answer, Campaign, Invitation, Response
from recolte.collection.tests.campaign_fixtures import first_question, logbook
from recolte.testing import PASSWORD


def _link(token, step="page"):
    return reverse("collection:invitation" + ("" if step == "page" else f"_{step}"), args=[token])


def test_issue_stores_only_a_hash_and_opens(world):
    campaign = logbook(world)
    invitation, token = svc.invitation_issue(
        campaign=campaign, organisation=world.lead, email="alice@alpha.org"
    )
    assert token not in invitation.token_hash and invitation.token_hash == Invitation.hash(token)
    assert svc.invitation_token(invitation) == token  # reminders can repeat the same link
    assert invitation.expires > timezone.now() + timedelta(days=30)
    assert svc.invitation_open(token) == invitation
    assert Invitation.objects.get(pk=invitation.pk).last_used
    with pytest.raises(svc.InvitationRefused) as refused:
        svc.invitation_open(token + "x")
    assert refused.value.reason == "unknown"


# The key the settings used to fall back on, published with the source.
PUBLIC_KEY = "django-insecure-recolte-demo-key-set-SECRET_KEY"


@override_settings(SECRET_KEY=PUBLIC_KEY)
def test_a_link_cannot_be_computed_from_the_invitations_ids(client, world):
    campaign = logbook(world)
    invitation, token = svc.invitation_issue(
        campaign=campaign, organisation=world.lead, email="alice@alpha.org"
    )
    ids = f"{invitation.pk}:{campaign.pk}:{world.lead.pk}:{invitation.email}"
    forged = salted_hmac("recolte.invitation", ids).hexdigest()
    assert forged != token
    assert client.get(_link(forged)).status_code == 404
    # Random: the same ids never give the same link twice.
    _, again = svc.invitation_issue(campaign=campaign, organisation=world.lead, email=ids[-15:])
    assert again != token and len(token) >= 43


def test_the_database_alone_does_not_yield_a_link(world, settings):
    campaign = logbook(world)
    invitation, token = svc.invitation_issue(
        campaign=campaign, organisation=world.lead, email="alice@alpha.org"
    )
    stored = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert not any(token in str(value) for value in stored.values())
    # Under another key (rotated, or a thief's guess) the sealed token does not open: the link is
    # replaced by a fresh one and the old one stops working.
    settings.SECRET_KEY = "another-key-" + token
    fresh = svc.invitation_token(Invitation.objects.get(pk=invitation.pk))
    assert fresh != token and svc.invitation_open(fresh) == invitation
    with pytest.raises(svc.InvitationRefused):
        svc.invitation_open(token)


def test_link_answers_for_its_organisation_only(client, world):
    campaign = logbook(world)
    _, token_a = svc.invitation_issue(campaign=campaign, organisation=world.lead, email="a@a.org")
    _, token_b = svc.invitation_issue(campaign=campaign, organisation=world.partner, email="b@b.ml")
    question = first_question(campaign)
    page = client.get(_link(token_a))
    assert page.status_code == 200 and "Association Alpha" in page.content.decode()
    saved = client.post(
        _link(token_a, "save"),
        {f"q-{question.pk}": "Réponse d'Alpha", "organisation": world.partner.pk},
        HTTP_X_AUTOSAVE="1",
    )
    assert saved.status_code == 200
    client.post(_link(token_b, "save"), {f"q-{question.pk}": "Réponse de Beta"})
    answers = dict(Answer.objects.values_list("response__organisation__acronym", "text"))
    assert answers == {"ALPHA": "Réponse d'Alpha", "BETA": "Réponse de Beta"}
    assert Response.objects.get(organisation=world.lead).channel == Response.Channel.LINK
    # Neither link reaches the signed-in pages of the other organisation.
    other = reverse("collection:response", args=["prog", campaign.pk, world.partner.pk])
    assert client.get(other).status_code == 302  # anonymous: to the login page
    assert "Réponse de Beta" not in client.get(_link(token_a)).content.decode()
    # Submitting through the link.
    client.post(_link(token_a, "submit"))
    assert Response.objects.get(organisation=world.lead).status == "submitted"


@pytest.mark.parametrize(
    ("change", "status", "reason"),
    [
        ({"revoked": "now"}, 403, "revoked"),
        ({"expires": "past"}, 410, "expired"),
        ({"closed": True}, 410, "closed"),
    ],
)
def test_refused_links_give_a_clear_page(client, world, change, status, reason):
    campaign = logbook(world)
    invitation, token = svc.invitation_issue(
        campaign=campaign, organisation=world.lead, email="a@a.org"
    )
    if "revoked" in change:
        svc.invitation_revoke(invitation=invitation)
    if "expires" in change:
        Invitation.objects.filter(pk=invitation.pk).update(
            expires=timezone.now() - timedelta(minutes=1)
        )
    if "closed" in change:
        Campaign.objects.filter(pk=campaign.pk).update(status="closed")
    client.post(reverse("set_language"), {"language": "en"})
    for step in ("page", "save", "submit"):
        answer = client.post(_link(token, step), {f"q-{first_question(campaign).pk}": "x"})
        assert answer.status_code == status
        assert f'data-reason="{reason}"' in answer.content.decode()
    assert "Link not available" in client.get(_link(token)).content.decode()
    assert not Answer.objects.exists()
    assert client.get(_link("no-such-token")).status_code == 404


def test_facilitator_invites_one_person_and_withdraws_the_link(client, world, mailoutbox):
    campaign = logbook(world)
    client.login(username=world.users["facilitator"].username, password=PASSWORD)
    client.post(
        reverse("collection:invitation_create", args=["prog", campaign.pk]),
        {"organisation": world.partner.pk, "email": "maire@beta.ml"},
    )
    invitation = Invitation.objects.get(email="maire@beta.ml")
    assert invitation.sent and len(mailoutbox) == 1
    token = svc.invitation_token(invitation)
    assert _link(token) in mailoutbox[0].body
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert _link(token) in page  # shown to facilitators, to share by other means
    client.post(reverse("collection:invitation_revoke", args=["prog", campaign.pk, invitation.pk]))
    client.logout()
    assert client.get(_link(token)).status_code == 403
    # A contributor cannot issue links.
    client.login(username=world.users["contributor"].username, password=PASSWORD)
    refused = client.post(
        reverse("collection:invitation_create", args=["prog", campaign.pk]),
        {"organisation": world.partner.pk, "email": "x@beta.ml"},
    )
    assert refused.status_code == 403
