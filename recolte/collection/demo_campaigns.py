"""Demo campaigns for the demo programme: our own sample answers, dated around today so the
tracking pages show submitted, draft, late and not-started organisations."""

import json
from datetime import datetime, time, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from recolte.collection import selectors
from recolte.collection import services as svc
from recolte.collection.models import Answer, Campaign, Invitation, Question, Resource, Response
from recolte.registry.models import Axis, Organisation, Programme

DATA = Path(__file__).resolve().parent / "data" / "demo_campaigns.json"


def _moment(day_offset: int, hour: int = 10) -> datetime:
    day = timezone.localdate() + timedelta(days=day_offset)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _invite_audience(campaign: Campaign, when: datetime) -> None:
    """One invitation per addressed organisation, to its first person with an e-mail address
    (recorded as sent when the campaign opened; no e-mail goes out)."""
    for org in selectors.audience_organisations(campaign):
        person = org.people.exclude(email="").order_by("pk").first()
        if person:
            invitation, _token = svc.invitation_issue(
                campaign=campaign, organisation=org, email=person.email, person=person
            )
            Invitation.objects.filter(pk=invitation.pk).update(sent=when)


def _answer(campaign: Campaign, org: Organisation, item: dict, questions: list) -> None:
    when = _moment(item["day"], 16)
    response = svc.response_for(campaign, org, Response.Channel.BROWSER)
    for question, text in zip(questions, item["answers"], strict=True):
        if text:
            svc.answer_save(response=response, question=question, text=text)
    if item["state"] == Response.Status.SUBMITTED:
        person = org.people.exclude(email="").order_by("pk").first()
        svc.response_submit(response=response, person=person)
        Response.objects.filter(pk=response.pk).update(submitted=when)
        Resource.objects.filter(pk=response.resource_id).update(date=when.date())
    Response.objects.filter(pk=response.pk).update(started=when - timedelta(days=2), updated=when)
    Answer.objects.filter(response=response).update(updated=when - timedelta(hours=1))


@transaction.atomic
def load_demo_campaigns(programme: Programme) -> None:
    """Create the demo campaigns and responses; campaigns already there are left alone."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    orgs: dict[str, Organisation] = {}
    for org in programme.organisations.all():
        orgs[org.name] = org
        if org.acronym:
            orgs[org.acronym] = org
    for item in data["campaigns"]:
        if programme.campaigns.filter(title=item["title"]).exists():
            continue
        campaign = svc.campaign_create(
            programme=programme,
            title=item["title"],
            instrument=item["instrument"],
            introduction=item["introduction"],
            audience=item["audience"],
            opens_on=timezone.localdate() + timedelta(days=item["opens"]),
            closes_on=timezone.localdate() + timedelta(days=item["closes"]),
            axes=programme.axes.filter(kind=Axis.Kind.CAPITALISATION, number__in=item["axes"]),
        )
        specs = item["questions"]
        specs = data["questions"][specs] if isinstance(specs, str) else specs
        questions: list = []
        for spec in specs:  # a condition ("show_if") is the index of an earlier question
            condition = questions[spec["show_if"]] if "show_if" in spec else None
            questions.append(
                svc.question_add(
                    campaign=campaign,
                    text_fr=spec["fr"],
                    text_en=spec["en"],
                    help_text=spec["help"],
                    required=spec["required"],
                    answer_type=spec.get("type", Question.AnswerType.LONG_TEXT),
                    minimum=spec.get("min"),
                    show_if=condition,
                    show_if_values="\n".join(spec.get("show_if_values", [])),
                )
            )
        # Answers are only accepted while open; the final status is set afterwards.
        Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.OPEN)
        campaign.status = Campaign.Status.OPEN
        _invite_audience(campaign, _moment(item["opens"], 9))
        for answer in item["responses"]:
            _answer(campaign, orgs[answer["org"]], answer, questions)
        Campaign.objects.filter(pk=campaign.pk).update(status=item["status"])
