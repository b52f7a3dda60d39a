from django.apps import AppConfig


class CodingConfig(AppConfig):
    name = "recolte.coding"
    label = "coding"

    def ready(self) -> None:
        from recolte.coding.tasks_suggest import connect

        connect()
