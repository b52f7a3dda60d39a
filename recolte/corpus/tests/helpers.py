"""Builders for corpus tests: resources and versions stored as the collection stores them."""

import hashlib

from recolte.collection.ingest.text import normalise
from recolte.collection.models import Resource, ResourceVersion
from recolte.corpus.pipeline import process_version


def new_version(resource: Resource, text: str) -> ResourceVersion:
    text = normalise(text)
    last = resource.versions.order_by("-number").first()
    return ResourceVersion.objects.create(
        resource=resource,
        number=(last.number + 1) if last else 1,
        text=text,
        text_sha256=hashlib.sha256(text.encode()).hexdigest(),
    )


def add(world, text: str, *, process: bool = True, organisations=(), **fields):
    fields.setdefault("title", text[:30])
    resource = Resource.objects.create(programme=world.programme, **fields)
    resource.organisations.set(organisations)
    version = new_version(resource, text)
    if process:
        process_version(version)
    return resource
