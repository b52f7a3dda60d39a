"""Answering in the browser: autosave, submit into the library, DOCX answers, who sees what."""

import io

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recolte.access.models import AuditEvent
from recolte.collection import selectors
from recolte.collection import services as svc
from recolte.collection.models import Answer, Campaign, Question, Resource, Response
from recolte.collection.tests.campaign_fixtures import first_question, logbook
from recolte.testing import PASSWORD


def _answer_both(campaign, org, first="Avec la mairie.", second="La suite ?"):
    response = svc.response_for(campaign, org, Response.Channel.BROWSER)
    q1, q2 = campaign.questions.all()
    svc.answer_save(response=response, question=q1, text=first)
    svc.answer_save(response=response, question=q2, text=second)
    return response


def test_autosave_stores_and_skips_unchanged_text(world):
    campaign = logbook(world)
    response = svc.response_for(campaign, world.lead, Response.Channel.BROWSER)
    question = first_question(campaign)
    answer = svc.answer_save(response=response, question=question, text="Brouillon\r\n")
    assert answer.text == "Brouillon"
    stamp = answer.updated
    again = svc.answer_save(response=response, question=question, text="Brouillon")
    assert again.updated == stamp
    svc.answer_save(response=response, question=question, text="Brouillon complété")
    assert Answer.objects.get(pk=answer.pk).text == "Brouillon complété"


def test_answers_refused_once_closed(world):
    campaign = logbook(world, status="closed")
    response = Response.objects.create(campaign=campaign, organisation=world.lead)
    with pytest.raises(ValidationError):
        svc.answer_save(response=response, question=first_question(campaign), text="Trop tard")


def test_submit_builds_the_resource_text_and_new_versions(world):
    campaign = logbook(world)
    response = _answer_both(campaign, world.lead)
    svc.response_submit(response=response, by=world.users["contributor"])
    response.refresh_from_db()
    resource = response.resource
    assert response.status == "submitted" and response.submitted
    assert resource.kind == Resource.Kind.RESPONSE
    assert resource.campaign == campaign and resource.instrument == campaign.instrument
    assert list(resource.organisations.all()) == [world.lead]
    assert resource.pilot == world.pilot  # ALPHA leads exactly one pilot operation
    assert resource.current.text == (
        "Quelles coopérations avez-vous nouées ce trimestre ?\n\nAvec la mairie.\n\n"
        "Quelles questions restent ouvertes ?\n\nLa suite ?"
    )
    # Still editable until closing; submitting again makes a new version.
    svc.answer_save(response=response, question=first_question(campaign), text="Avec la commune.")
    assert selectors.pending_changes(response)
    svc.response_submit(response=response)
    assert resource.versions.count() == 2
    assert "Avec la commune." in resource.current.text
    svc.response_submit(response=response)  # nothing changed: no new version
    assert resource.versions.count() == 2


def test_submit_requires_the_required_questions_and_valid_choices(world):
    campaign = logbook(world)
    response = _answer_both(campaign, world.lead, first="")
    with pytest.raises(ValidationError) as refused:
        svc.response_submit(response=response)
    assert "Quelles coopérations" in str(refused.value)
    choice = svc.question_add(
        campaign=campaign, text_fr="Votre statut ?", answer_type="choice", choices="A\nB"
    )
    svc.answer_save(response=response, question=first_question(campaign), text="Oui.")
    with pytest.raises(ValidationError):
        svc.answer_save(response=response, question=choice, text="C")
    svc.answer_save(response=response, question=choice, text="B")
    svc.question_update(question=choice, choices="A\nC")  # "B" is no longer offered
    assert svc.missing_answers(response) == [choice]
    assert not Resource.objects.exists()


def _docx(paragraphs: list[tuple[str, str]]) -> bytes:
    document = docx.Document()
    for style, text in paragraphs:
        if style == "h":
            document.add_heading(text, level=2)
        else:
            document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_answer_is_parsed_into_the_answers(world):
    campaign = logbook(world)
    svc.question_add(campaign=campaign, text_fr="Une question absente du document ?")
    data = _docx(
        [
            ("p", "Réponse de l'association Alpha"),
            ("h", "Question 1 : Quelles coopérations avez-vous nouées ce trimestre ?"),
            ("p", "Avec la mairie de Kayes, sur l'eau."),
            ("p", "Et avec un syndicat."),
            ("h", "2. Quelles questions restent ouvertes"),  # no question mark: still found
            ("p", "Le financement."),
        ]
    )
    response = svc.response_for(campaign, world.lead, Response.Channel.BROWSER)
    outcome = svc.docx_answer_parse(response=response, data=data)
    q1, q2, q3 = campaign.questions.all()
    assert outcome.answered == [q1, q2]
    assert outcome.unmatched == [q3]
    assert outcome.preamble == "Réponse de l'association Alpha"
    answers = {a.question_id: a.text for a in response.answers.all()}
    assert answers[q1.pk] == "Avec la mairie de Kayes, sur l'eau.\n\nEt avec un syndicat."
    assert answers[q2.pk] == "Le financement."
    assert Response.objects.get(pk=response.pk).channel == Response.Channel.DOCX
    with pytest.raises(ValidationError):
        svc.docx_answer_parse(response=response, data=b"not a document")


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)
    client.post(reverse("set_language"), {"language": "en"})


def test_contributor_answers_in_the_browser(client, world):
    campaign = logbook(world)
    q1, q2 = campaign.questions.all()
    _login(client, world.users["contributor"])
    page_url = reverse("collection:respond", args=["prog", campaign.pk])
    assert client.get(page_url).status_code == 200
    save = reverse("collection:respond_save", args=["prog", campaign.pk])
    saved = client.post(save, {f"q-{q1.pk}": "Premier jet"}, HTTP_X_AUTOSAVE="1")
    assert saved.status_code == 200 and saved.json()["saved"] == [q1.pk]
    assert "Premier jet" in client.get(page_url).content.decode()  # the draft after reload
    confirm = reverse("collection:respond_submit", args=["prog", campaign.pk])
    assert "Premier jet" in client.get(confirm).content.decode()
    client.post(save, {f"q-{q1.pk}": "Version finale", f"q-{q2.pk}": ""})
    assert client.post(confirm).status_code == 302
    response = Response.objects.get(campaign=campaign, organisation=world.lead)
    assert response.status == "submitted" and response.submitted_by == world.users["contributor"]
    assert "Version finale" in response.resource.current.text
    read = client.get(reverse("collection:response", args=["prog", campaign.pk, world.lead.pk]))
    assert read.status_code == 200 and response.resource.get_absolute_url() in read.content.decode()


def test_attachment_on_a_file_question(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    campaign = logbook(world)
    question = svc.question_add(campaign=campaign, text_fr="Une photo ?", answer_type="file")
    _login(client, world.users["contributor"])
    client.post(
        reverse("collection:respond_file", args=["prog", campaign.pk]),
        {"question": question.pk, "file": SimpleUploadedFile("photo.jpg", b"jpeg bytes")},
    )
    answer = Answer.objects.get(question=question)
    assert answer.file.read() == b"jpeg bytes"
    url = reverse("collection:answer_file", args=["prog", campaign.pk, world.lead.pk, question.pk])
    download = client.get(url)
    assert b"".join(download.streaming_content) == b"jpeg bytes"
    assert download["Content-Type"] == "application/octet-stream"
    assert AuditEvent.objects.filter(verb="view", target_id=str(answer.pk)).exists()


def test_contributor_sees_only_their_organisation(client, world):
    campaign = logbook(world)
    _answer_both(campaign, world.partner)
    _answer_both(campaign, world.lead)
    _login(client, world.users["contributor"])  # answers for ALPHA
    own = reverse("collection:response", args=["prog", campaign.pk, world.lead.pk])
    other = reverse("collection:response", args=["prog", campaign.pk, world.partner.pk])
    assert client.get(own).status_code == 200
    assert client.get(other).status_code == 404
    # Saving through the contributor's own page never touches BETA's answers.
    beta_text = Answer.objects.get(response__organisation=world.partner, question__order=1).text
    client.post(
        reverse("collection:respond_save", args=["prog", campaign.pk]),
        {f"q-{first_question(campaign).pk}": "ALPHA écrit", "organisation": world.partner.pk},
    )
    assert Answer.objects.get(response__organisation=world.partner, question__order=1).text == (
        beta_text
    )
    # A campaign not addressed to ALPHA does not open.
    campaign.chosen_organisations.set([world.partner])
    Response.objects.filter(organisation=world.lead).delete()
    page = reverse("collection:respond", args=["prog", campaign.pk])
    assert client.get(page).status_code == 404
    # Staff with VIEW_ALL_RESPONSES read every response; a reader may not answer.
    _login(client, world.users["team"])
    assert client.get(other).status_code == 200
    _login(client, world.users["reader"])
    assert client.get(page).status_code == 403


def test_closed_campaign_is_read_only_for_the_contributor(client, world):
    campaign = logbook(world)
    _answer_both(campaign, world.lead)
    Campaign.objects.filter(pk=campaign.pk).update(status="closed")
    _login(client, world.users["contributor"])
    page = client.get(reverse("collection:respond", args=["prog", campaign.pk]))
    assert page.status_code == 200 and "data-autosave" not in page.content.decode()
    refused = client.post(
        reverse("collection:respond_save", args=["prog", campaign.pk]),
        {f"q-{first_question(campaign).pk}": "Trop tard"},
        HTTP_X_AUTOSAVE="1",
    )
    assert refused.status_code == 409
    assert Question.objects.get(pk=first_question(campaign).pk).answers.get().text == (
        "Avec la mairie."
    )


def test_docx_upload_through_the_page(client, world):
    campaign = logbook(world)
    _login(client, world.users["contributor"])
    question = "1. Quelles coopérations avez-vous nouées ce trimestre ?"
    data = _docx([("p", question), ("p", "Trois.")])
    page = client.post(
        reverse("collection:respond_docx", args=["prog", campaign.pk]),
        {"file": SimpleUploadedFile("reponse.docx", data)},
        follow=True,
    )
    assert "1 answer(s) read from the document" in page.content.decode()
    assert "Questions not found in the document" in page.content.decode()
    assert Answer.objects.get(question=first_question(campaign)).text == "Trois."
    bad = client.post(
        reverse("collection:respond_docx", args=["prog", campaign.pk]),
        {"file": SimpleUploadedFile("reponse.docx", b"")},
        follow=True,
    )
    assert bad.status_code == 200 and Answer.objects.count() == 1
