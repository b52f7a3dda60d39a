"""Campaign services and the facilitator's pages: audience, duplicate, open/close, questions."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from recolte.collection import selectors
from recolte.collection import services as svc
from recolte.collection.models import Campaign, Question
from recolte.collection.tests.campaign_fixtures import logbook, people
from recolte.registry.models import Axis, Organisation
from recolte.testing import PASSWORD


def test_audience_pilot_leads_members_and_chosen(world):
    campaign = logbook(world, audience=Campaign.Audience.PILOT_LEADS)
    assert list(selectors.audience_organisations(campaign)) == [world.lead]

    Organisation.objects.create(
        programme=world.programme, name="Gamma", nature="ngo", is_member=True
    )
    campaign.audience = Campaign.Audience.ALL_MEMBERS
    assert {o.acronym or o.name for o in selectors.audience_organisations(campaign)} == {
        "ALPHA",
        "Gamma",
    }

    campaign.audience = Campaign.Audience.CHOSEN
    campaign.chosen_organisations.set([])
    _alice, bakary = people(world)
    campaign.chosen_people.set([bakary])
    assert list(selectors.audience_organisations(campaign)) == [world.partner]


def test_duplicate_copies_questions_axes_audience_and_numbers_the_issue(world):
    campaign = logbook(world)
    axis = Axis.objects.create(
        programme=world.programme, kind=Axis.Kind.CAPITALISATION, number=1, title="Dialogue"
    )
    campaign.axes.set([axis])
    copy = svc.campaign_duplicate(campaign=campaign)
    assert copy.title == "Carnet de route n°2"
    assert copy.status == Campaign.Status.DRAFT
    assert copy.opens_on is None and copy.closes_on is None
    assert list(copy.axes.all()) == [axis]
    assert set(copy.chosen_organisations.all()) == {world.lead, world.partner}
    assert [(q.order, q.text_fr, q.required) for q in copy.questions.all()] == [
        (q.order, q.text_fr, q.required) for q in campaign.questions.all()
    ]
    assert campaign.questions.count() == 2  # the original keeps its own
    campaign.title = "Question ponctuelle"
    assert svc.campaign_duplicate(campaign=campaign).title.startswith("Question ponctuelle (")


def test_open_needs_questions_and_close_follows_open(world):
    campaign = logbook(world, status="draft")
    empty = svc.campaign_create(
        programme=world.programme, title="Vide", instrument="other", audience="all_members"
    )
    with pytest.raises(ValidationError):
        svc.campaign_open(campaign=empty)
    with pytest.raises(ValidationError):
        svc.campaign_close(campaign=campaign)
    svc.campaign_open(campaign=campaign)
    assert campaign.status == Campaign.Status.OPEN
    svc.campaign_close(campaign=campaign)
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.CLOSED


def test_reminder_dates_count_back_from_closing(world):
    campaign = logbook(world)
    campaign.reminder_days = "7, 2"
    closes = campaign.closes_on
    assert selectors.reminder_dates(campaign) == [
        closes - timedelta(days=7),
        closes - timedelta(days=2),
    ]


def test_questions_move_and_delete(world):
    campaign = logbook(world)
    first, second = campaign.questions.all()
    svc.question_move(question=second, step=-1)
    assert list(campaign.questions.values_list("pk", flat=True)) == [second.pk, first.pk]
    response = svc.response_for(campaign, world.lead, "browser")
    svc.answer_save(response=response, question=first, text="Une réponse.")
    with pytest.raises(ValidationError):
        svc.question_delete(question=first)
    svc.question_delete(question=second)
    assert campaign.questions.count() == 1


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)
    client.post(reverse("set_language"), {"language": "en"})


def test_facilitator_builds_a_campaign_in_the_ui(client, world):
    _login(client, world.users["facilitator"])
    url = reverse("collection:campaign_create", args=["prog"])
    answer = client.post(
        url,
        {
            "title": "Question ponctuelle n°1",
            "instrument": "one_off_question",
            "audience": "pilot_leads",
            "reminder_days": "3",
        },
    )
    campaign = Campaign.objects.get(title="Question ponctuelle n°1")
    assert answer.url == reverse("collection:campaign_questions", args=["prog", campaign.pk])
    editor = reverse("collection:campaign_questions", args=["prog", campaign.pk])
    for text in ("Première question ?", "Seconde question ?"):
        page = client.post(
            editor, {"text_fr": text, "answer_type": "long_text"}, HTTP_HX_REQUEST="true"
        )
        assert page.status_code == 200 and text in page.content.decode()
        assert "<html" not in page.content.decode()  # a fragment for HTMX
    second = campaign.questions.get(text_fr="Seconde question ?")
    client.post(
        reverse("collection:question_move", args=["prog", campaign.pk, second.pk]),
        {"to": "up"},
        HTTP_HX_REQUEST="true",
    )
    assert campaign.questions.first() == second
    bad = client.post(editor, {"text_fr": "Choix ?", "answer_type": "choice"})
    assert bad.status_code == 200 and "List the choices" in bad.content.decode()
    client.post(
        reverse("collection:question_edit", args=["prog", campaign.pk, second.pk]),
        {
            f"q{second.pk}-text_fr": "Seconde, reformulée ?",
            f"q{second.pk}-answer_type": "short_text",
        },
    )
    assert Question.objects.get(pk=second.pk).text_fr == "Seconde, reformulée ?"
    client.post(reverse("collection:question_delete", args=["prog", campaign.pk, second.pk]))
    assert campaign.questions.count() == 1
    client.post(reverse("collection:campaign_open", args=["prog", campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.status == "open" and campaign.opens_on
    copy = client.post(reverse("collection:campaign_duplicate", args=["prog", campaign.pk]))
    assert Campaign.objects.filter(title="Question ponctuelle n°2", status="draft").exists()
    assert copy.status_code == 302


def test_only_facilitators_build_campaigns(client, world):
    campaign = logbook(world, status="draft")
    _login(client, world.users["contributor"])
    assert client.get(reverse("collection:campaign_create", args=["prog"])).status_code == 403
    # A draft is not shown to contributors at all.
    assert client.get(campaign.get_absolute_url()).status_code == 404
    listing = client.get(reverse("collection:campaigns", args=["prog"]))
    assert campaign.title not in listing.content.decode()
    _login(client, world.users["outsider"])
    assert client.get(reverse("collection:campaigns", args=["prog"])).status_code == 404
