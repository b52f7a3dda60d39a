from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "recolte.privacy"
    label = "privacy"
