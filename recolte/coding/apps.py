from django.apps import AppConfig


class CodingConfig(AppConfig):
    name = "recolte.coding"
    label = "coding"
