from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "recolte.registry"
    label = "registry"
