from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "recolte.privacy"
    label = "privacy"

    def ready(self) -> None:
        from recolte.privacy.tasks import connect

        connect()
