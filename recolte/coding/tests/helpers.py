"""Builders for the coding tests."""

from recolte.coding.models import Code
from recolte.collection.models import Resource, ResourceVersion


def version(programme, text: str, title: str = "Réponse", **fields) -> ResourceVersion:
    organisations = fields.pop("organisations", [])
    resource = Resource.objects.create(programme=programme, title=title, **fields)
    resource.organisations.set(organisations)
    return ResourceVersion.objects.create(resource=resource, number=1, text=text)


def code(programme, key: str, parent: Code | None = None, **fields) -> Code:
    return Code.objects.create(
        programme=programme, key=key, name=fields.pop("name", key), parent=parent, **fields
    )
