"""Builders for the portal tests."""

from django.test import Client

from recolte.collection.models import Campaign, Confidentiality, Resource
from recolte.collection.services import ResourceMeta, resource_create
from recolte.corpus.pipeline import process_version
from recolte.synthesis import publication
from recolte.synthesis.models import CampaignSynthesis, Report
from recolte.synthesis.services import report_file_save
from recolte.testing import PASSWORD, World

VISITORS = ("anonymous", "reader")


def client_for(world: World, who: str) -> Client:
    client = Client()
    if who != "anonymous":
        assert client.login(username=world.users[who].username, password=PASSWORD)
    return client


def resource(
    world: World, text: str, title: str, confidentiality: str = Confidentiality.PROGRAMME
) -> Resource:
    """A resource stored as the library stores it, with its passages indexed."""
    meta = ResourceMeta(
        title=title, organisations=[world.lead], confidentiality=confidentiality, language="fr"
    )
    made = resource_create(programme=world.programme, text=text, meta=meta)
    process_version(made.current)
    return made


def campaign_synthesis(world: World, **fields) -> CampaignSynthesis:
    campaign = Campaign.objects.create(
        programme=world.programme,
        title="Carnet de route n°2",
        instrument="field_logbook",
        audience=Campaign.Audience.PILOT_LEADS,
    )
    return CampaignSynthesis.objects.create(campaign=campaign, **fields)


def publish(obj: CampaignSynthesis | Report) -> CampaignSynthesis | Report:
    """Published as the publish button does: a snapshot of what a public page may show now."""
    publication.publish(obj, by=None)
    obj.refresh_from_db()
    return obj


def finished_report(world: World, **fields) -> Report:
    fields.setdefault("status", Report.Status.DONE)
    fields.setdefault("formats", ["pdf", "html"])
    made = Report.objects.create(programme=world.programme, title="Analyse transversale", **fields)
    report_file_save(report=made, fmt="pdf", data=b"%PDF-1.4 analyse", stem="analyse")
    report_file_save(report=made, fmt="html", data=b"<h1>Analyse transversale</h1>", stem="analyse")
    return made
