"""The demo campaigns load once and give the tracking pages real numbers."""

from recolte.collection import tracking
from recolte.collection.demo_campaigns import load_demo_campaigns
from recolte.collection.models import Campaign, Resource, Response
from recolte.portal.demo import demo_load


def test_demo_campaigns_load_once_with_varied_states(db):
    programme, _accounts = demo_load()
    load_demo_campaigns(programme)
    load_demo_campaigns(programme)  # idempotent
    campaigns = programme.campaigns.all()
    assert campaigns.count() == 5
    assert {c.status for c in campaigns} == {"open", "closed"}
    submitted = Response.objects.filter(campaign__programme=programme, status="submitted")
    assert submitted.count() == Resource.objects.filter(kind="response").count() == 19
    assert Response.objects.filter(campaign__programme=programme, status="draft").count() == 5
    first = tracking.campaign_tracking(campaigns.get(title="Carnet de route n°1"))
    assert (first.expected, first.invited, first.submitted) == (9, 9, 7)
    assert first.late == 4  # two submitted after closing, two never answered
    text = submitted.get(organisation__acronym="GERES", campaign=first.campaign).resource
    assert text.current.text.startswith("Quelle collaboration entre acteurs")
    current = campaigns.get(title="Carnet de route n°3")
    assert current.is_open and tracking.campaign_tracking(current).late == 0
    assert Campaign.objects.filter(status="draft").count() == 0


def test_demo_loads_in_french_whatever_the_active_language(db):
    from django.utils import translation

    with translation.override("en"):
        programme, _accounts = demo_load()
    assert programme.resources.filter(title__endswith="— transcription").exists()
