"""E-mail subjects are plain text: a title with an apostrophe or < & > is sent as written."""

import pytest

from recolte.collection import services as svc
from recolte.collection.services import mailing
from recolte.collection.tests.campaign_fixtures import logbook


@pytest.mark.parametrize("reminder", [False, True])
def test_subjects_are_not_html_escaped(world, reminder):
    campaign = logbook(world)
    campaign.title = 'L\'emploi & les <jeunes> "ruraux"'
    campaign.save()
    world.programme.name = "Côte d'Ivoire"
    world.programme.save()
    invitation, token = svc.invitation_issue(
        campaign=campaign, organisation=world.lead, email="a@alpha.org"
    )
    subject = mailing.compose(invitation, token, reminder=reminder).subject
    assert subject.endswith('L\'emploi & les <jeunes> "ruraux"')
    assert "&#x27;" not in subject and "&amp;" not in subject
