from django.apps import AppConfig


class CorpusConfig(AppConfig):
    name = "recolte.corpus"
    label = "corpus"
