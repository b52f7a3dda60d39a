"""Builders for the campaign test suites."""

from datetime import timedelta

from django.utils import timezone

from recolte.collection import services as svc
from recolte.collection.models import Campaign, Instrument, Question
from recolte.registry.models import Person


def people(world) -> tuple[Person, Person]:
    alice = Person.objects.create(
        organisation=world.lead, first_name="Alice", last_name="Martin", email="alice@alpha.org"
    )
    bakary = Person.objects.create(
        organisation=world.partner, first_name="Bakary", last_name="Traoré", email="b@beta.ml"
    )
    return alice, bakary


def logbook(world, *, audience=Campaign.Audience.CHOSEN, status="open", closes_in=10) -> Campaign:
    """A campaign with two questions (one required); by default addressed to ALPHA and BETA."""
    today = timezone.localdate()
    campaign = svc.campaign_create(
        programme=world.programme,
        title="Carnet de route n°1",
        instrument=Instrument.FIELD_LOGBOOK,
        audience=audience,
        opens_on=today - timedelta(days=5),
        closes_on=today + timedelta(days=closes_in),
        chosen_organisations=[world.lead, world.partner],
    )
    svc.question_add(
        campaign=campaign,
        text_fr="Quelles coopérations avez-vous nouées ce trimestre ?",
        text_en="Which cooperations did you build this quarter?",
        required=True,
    )
    svc.question_add(campaign=campaign, text_fr="Quelles questions restent ouvertes ?")
    if status != Campaign.Status.DRAFT:
        Campaign.objects.filter(pk=campaign.pk).update(status=status)
        campaign.refresh_from_db()
    return campaign


def first_question(campaign: Campaign) -> Question:
    return campaign.questions.order_by("order").first()
