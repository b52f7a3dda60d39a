from django.apps import AppConfig


class SynthesisConfig(AppConfig):
    name = "recolte.synthesis"
    label = "synthesis"
