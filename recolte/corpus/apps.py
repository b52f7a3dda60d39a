from django.apps import AppConfig


class CorpusConfig(AppConfig):
    name = "recolte.corpus"
    label = "corpus"

    def ready(self) -> None:
        from recolte.collection.selectors import text_matches_register
        from recolte.collection.signals import version_stored

        from .search import resources_containing
        from .tasks import on_version_stored
        from .warm import is_task_worker, warm_soon

        version_stored.connect(on_version_stored, dispatch_uid="corpus-process-version")
        text_matches_register(resources_containing)

        if is_task_worker():  # its tasks embed and search too (the server warms in wsgi.py)
            warm_soon()
