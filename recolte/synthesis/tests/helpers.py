"""Builders for the synthesis tests: a small coded corpus on the test world."""

from recolte.coding.models import Code, Coding, Quote
from recolte.collection.models import Campaign, Resource, ResourceVersion, Response


def coded(
    programme,
    code: Code,
    text: str,
    *,
    orgs=(),
    kind="document",
    instrument="",
    title="Réponse",
    campaign=None,
    pilot=None,
) -> Coding:
    resource = Resource.objects.create(
        programme=programme,
        title=title,
        kind=kind,
        instrument=instrument,
        campaign=campaign,
        pilot=pilot,
    )
    resource.organisations.set(orgs)
    version = ResourceVersion.objects.create(resource=resource, number=1, text=text)
    return Coding.objects.create(version=version, start=0, end=len(text), code=code)


def codebook(programme) -> dict[str, Code]:
    axis = Code.objects.create(
        programme=programme,
        key="a1",
        name="Axe 1 : Coopérer",
        kind="axis",
        order=0,
        extra={"number": "1"},
    )
    section = Code.objects.create(
        programme=programme,
        key="a1.s11",
        name="Se connaître",
        kind="section",
        parent=axis,
        order=1,
        extra={"number": "1.1"},
        questions="Comment ?",
    )
    theme = Code.objects.create(
        programme=programme, key="a1.s11.eau", name="L’eau", kind="theme", parent=section, order=2
    )
    empty = Code.objects.create(
        programme=programme, key="a1.s11.vide", name="Rien", kind="theme", parent=section, order=3
    )
    return {"axis": axis, "section": section, "theme": theme, "empty": empty}


def quote(coding: Coding, org, *, name="Awa Diallo", consent="given", country=None) -> Quote:
    return Quote.objects.create(
        coding=coding, person_name=name, organisation=org, country=country, consent=consent
    )


def campaign_with_responses(world, code: Code) -> Campaign:
    campaign = Campaign.objects.create(
        programme=world.programme,
        title="Carnet de route n°2",
        instrument="field_logbook",
        audience="pilot_leads",
    )
    for org, text in (
        (world.lead, "Les puits du village ont été réparés avec la commune."),
        (world.partner, "La commune a financé les puits et l’école."),
    ):
        coding = coded(
            world.programme, code, text, orgs=[org], campaign=campaign, instrument="field_logbook"
        )
        Response.objects.create(
            campaign=campaign,
            organisation=org,
            status="submitted",
            resource=coding.version.resource,
        )
    return campaign
