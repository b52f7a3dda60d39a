from django.urls import path

from recolte.privacy import views

app_name = "privacy"

urlpatterns = [
    path("<slug:slug>/personal-data/", views.programme_privacy, name="programme"),
    path("<slug:slug>/people/<int:pk>/privacy/", views.person_privacy, name="person"),
    path(
        "<slug:slug>/people/<int:pk>/privacy/export.json",
        views.person_export_view,
        name="person_export",
    ),
    path(
        "<slug:slug>/people/<int:pk>/privacy/erase/",
        views.person_erase_view,
        name="person_erase",
    ),
]
