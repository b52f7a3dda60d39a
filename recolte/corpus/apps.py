from django.apps import AppConfig


class CorpusConfig(AppConfig):
    name = "recolte.corpus"
    label = "corpus"

    def ready(self) -> None:
        from recolte.collection.selectors import text_matches_register
        from recolte.collection.signals import version_stored

        from .search import resources_containing
        from .tasks import on_version_stored

        version_stored.connect(on_version_stored, dispatch_uid="corpus-process-version")
        text_matches_register(resources_containing)
