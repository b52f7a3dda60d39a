from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "recolte.collection"
    label = "collection"
