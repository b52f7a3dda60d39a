"""Keeps resource pins in step with saves made anywhere (see `services.sync_pin`)."""

from recolte.collection.models import Resource, ResourceVersion
from recolte.portal.services import sync_pin


def resource_saved(sender, instance: Resource, raw: bool = False, **kwargs) -> None:
    if not raw:
        sync_pin(instance)


def version_saved(sender, instance: ResourceVersion, created: bool, raw: bool = False, **kwargs):
    if created and not raw:
        sync_pin(instance.resource)
