"""A respondent reads the campaign in the invitation's language: the e-mail, the questions, the
errors; missing answers are shown on the form, never after a confirmation that would fail."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from recolte.collection import services as svc
from recolte.collection.ingest import IngestError
from recolte.collection.ingest.formats import detect
from recolte.collection.models import Invitation, Response
from recolte.collection.services.mailing import compose
from recolte.collection.tests.campaign_fixtures import first_question, logbook
from recolte.testing import PASSWORD

ENGLISH_Q = "Which cooperations did you build this quarter?"
FRENCH_Q = "Quelles coopérations avez-vous nouées ce trimestre ?"


def _invite(world, language="en"):
    campaign = logbook(world)
    invitation, token = svc.invitation_issue(
        campaign=campaign, organisation=world.lead, email="a@alpha.org", language=language
    )
    return campaign, invitation, token


def _link(token, step="page"):
    return reverse("collection:invitation" + ("" if step == "page" else f"_{step}"), args=[token])


def test_the_e_mail_is_in_the_invitation_language(world):
    _, english, token = _invite(world, "en")
    message = compose(english, token)
    assert "Answer online with this personal link" in message.body
    _, default, token = _invite(world, "")
    assert "Répondez en ligne" in compose(default, token).body


def test_an_unknown_language_is_refused(world):
    with pytest.raises(ValidationError):
        _invite(world, "xx")


def test_the_page_speaks_the_invitation_language_unless_the_reader_chose(world):
    _, _, token = _invite(world, "en")
    page = Client(headers={"accept-language": "fr"}).get(_link(token)).content.decode()
    assert '<html lang="en">' in page and ENGLISH_Q in page and FRENCH_Q not in page
    chooser = Client()
    chooser.cookies["django_language"] = "fr"
    page = chooser.get(_link(token)).content.decode()
    assert '<html lang="fr">' in page and FRENCH_Q in page


def test_missing_answers_are_listed_on_the_form_not_confirmed(world):
    campaign, _, token = _invite(world, "en")
    client = Client()
    answer = client.get(_link(token, "submit"))
    assert answer.status_code == 302 and answer["Location"] == _link(token) + "?check#problems"
    page = client.get(answer["Location"]).content.decode()
    assert 'id="problems"' in page and ENGLISH_Q in page and "needs an answer" in page
    question = first_question(campaign)
    assert f'aria-describedby="q-{question.pk}-error"' in page
    assert "confirm-submit" not in page
    # A forged POST is sent back the same way, and submits nothing.
    svc.response_for(campaign, world.lead, Response.Channel.LINK)
    assert client.post(_link(token, "submit"))["Location"].endswith("?check#problems")
    assert Response.objects.get(campaign=campaign).status == Response.Status.DRAFT
    # Once answered, the confirmation is offered.
    client.post(_link(token, "save"), {f"q-{question.pk}": "With the town hall."})
    assert "confirm-submit" in client.get(_link(token, "submit")).content.decode()


def test_the_submit_error_names_the_question_in_the_reader_language(world):
    campaign, _, _ = _invite(world, "en")
    response = svc.response_for(campaign, world.lead, Response.Channel.LINK)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        svc.response_submit(response=response)
    assert refused.value.messages == [f"Answer the question: {ENGLISH_Q}"]


def test_the_campaign_page_lists_questions_in_the_page_language(world):
    campaign = logbook(world)
    client = Client()
    client.login(username=world.users["facilitator"].username, password=PASSWORD)
    client.cookies["django_language"] = "en"
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert ENGLISH_Q in page and FRENCH_Q not in page
    # No translation: the French text stands.
    assert "Quelles questions restent ouvertes ?" in page


@pytest.mark.parametrize(("language", "said"), [("fr", "une image"), ("en", "an image")])
def test_a_refused_file_is_described_in_the_reader_language(language, said):
    with pytest.raises(IngestError) as refused:
        detect(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    with translation.override(language):
        assert said in refused.value.message


def test_the_facilitator_chooses_the_invitation_language(world, mailoutbox):
    campaign = logbook(world)
    client = Client()
    client.login(username=world.users["facilitator"].username, password=PASSWORD)
    url = reverse("collection:invitation_create", args=[world.programme.slug, campaign.pk])
    client.post(url, {"organisation": world.lead.pk, "email": "a@alpha.org", "language": "en"})
    assert Invitation.objects.get(campaign=campaign).language == "en"
    assert "Answer online with this personal link" in mailoutbox[0].body
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert '<span class="pill">Anglais</span>' in page
