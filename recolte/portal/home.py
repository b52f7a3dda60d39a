"""What the home page shows each person, programme by programme, by their role there.

Contributors see the open campaigns their organisation has to answer, soonest deadline first,
with their drafts; readers see what the programme has published; staff go to the dashboard.
The home page stands in the portal, the one room that reads every other.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from recolte.access.policy import (
    Action,
    User,
    can,
    can_create_programme,
    own_organisation_id,
    role,
    visible_programmes,
)
from recolte.collection.models import Campaign, Response
from recolte.collection.selectors import campaigns_for_organisation
from recolte.registry.models import Programme
from recolte.synthesis.models import CampaignSynthesis, Report

from .selectors import published_reports, published_resources, published_syntheses


@dataclass
class Request:
    """An open campaign the contributor's organisation has not submitted yet."""

    campaign: Campaign
    draft: Response | None  # started but not submitted; None: not started

    @property
    def days_left(self) -> int | None:
        closes = self.campaign.closes_on
        return (closes - timezone.localdate()).days if closes else None


@dataclass
class ProgrammeHome:
    programme: Programme
    role: str
    is_staff: bool  # reads every organisation's material: the dashboard is their home
    answers: bool  # answers campaigns for an organisation
    requests: list[Request] = field(default_factory=list)
    submitted: int = 0
    syntheses: list[CampaignSynthesis] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    resources: int = 0

    @property
    def drafts(self) -> int:
        return sum(1 for r in self.requests if r.draft)


def _requests(programme: Programme, organisation_id: int) -> tuple[list[Request], int]:
    responses = {r.campaign_id: r for r in Response.objects.filter(organisation_id=organisation_id)}
    requests, submitted = [], 0
    for campaign in campaigns_for_organisation(programme, organisation_id):
        response = responses.get(campaign.pk)
        if response and response.status == Response.Status.SUBMITTED:
            submitted += 1
        elif campaign.is_open:
            requests.append(Request(campaign, response))
    # Soonest deadline first; campaigns without one after those with one.
    requests.sort(key=lambda r: (r.campaign.closes_on or date.max, r.campaign.title))
    return requests, submitted


def programme_home(user: User, programme: Programme) -> ProgrammeHome:
    organisation_id = own_organisation_id(user, programme)
    home = ProgrammeHome(
        programme,
        role(user, programme) or "",
        is_staff=can(user, Action.VIEW_ALL_RESPONSES, programme),
        answers=bool(organisation_id) and can(user, Action.ANSWER, programme),
    )
    if home.answers:
        home.requests, home.submitted = _requests(programme, organisation_id)
    if not home.is_staff and programme.is_published:  # the portal serves published programmes
        home.syntheses = list(published_syntheses(programme)[:5])
        home.reports = list(published_reports(programme)[:5])
        home.resources = published_resources(programme).count()
    return home


def home_for(user: User) -> dict:
    programmes = visible_programmes(user) if user.is_authenticated else Programme.objects.none()
    return {
        "homes": [programme_home(user, p) for p in programmes],
        "can_create": can_create_programme(user),
    }
