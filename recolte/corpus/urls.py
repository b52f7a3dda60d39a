from django.urls import path

from . import views

app_name = "corpus"
urlpatterns = [
    path("p/<slug:slug>/search/", views.search, name="search"),
    path("p/<slug:slug>/search/similar/<int:pk>/", views.similar, name="similar"),
    path("p/<slug:slug>/search/entities/", views.unknown_entities, name="unknown"),
    path(
        "p/<slug:slug>/search/entities/<int:pk>/",
        views.unknown_entity_resolve,
        name="unknown_resolve",
    ),
    path("p/<slug:slug>/search/progress/", views.progress, name="progress"),
    path(
        "p/<slug:slug>/search/resource/<int:pk>/passages/",
        views.resource_passages,
        name="resource_passages",
    ),
    path("p/<slug:slug>/api/search", views.api_search, name="api_search"),
]
