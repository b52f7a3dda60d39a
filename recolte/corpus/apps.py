from django.apps import AppConfig


class CorpusConfig(AppConfig):
    name = "recolte.corpus"
    label = "corpus"

    def ready(self) -> None:
        from recolte.collection.signals import version_stored

        from .tasks import on_version_stored

        version_stored.connect(on_version_stored, dispatch_uid="corpus-process-version")
