from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "recolte.portal"
    label = "portal"
