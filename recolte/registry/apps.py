from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "recolte.registry"
    label = "registry"

    def ready(self) -> None:
        from recolte.registry import lookups  # noqa: F401 — registers the integer `in` lookup
