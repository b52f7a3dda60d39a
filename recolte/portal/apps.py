from django.apps import AppConfig
from django.db.models.signals import post_save


class PortalConfig(AppConfig):
    name = "recolte.portal"
    label = "portal"

    def ready(self) -> None:
        from recolte.collection.models import Resource, ResourceVersion

        from .signals import resource_saved, version_saved

        post_save.connect(resource_saved, sender=Resource, dispatch_uid="portal-pin-resource")
        post_save.connect(version_saved, sender=ResourceVersion, dispatch_uid="portal-pin-version")
