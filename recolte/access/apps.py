from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "recolte.access"
    label = "access"
