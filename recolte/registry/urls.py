from django.urls import path

from recolte.registry import views

app_name = "registry"

urlpatterns = [
    path("new/", views.programme_create, name="programme_create"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/edit/", views.programme_edit, name="programme_edit"),
    path("<slug:slug>/axes/new/", views.axis_edit, name="axis_create"),
    path("<slug:slug>/axes/<int:pk>/edit/", views.axis_edit, name="axis_edit"),
    path("<slug:slug>/organisations/", views.organisations, name="organisations"),
    path("<slug:slug>/organisations/new/", views.organisation_edit, name="organisation_create"),
    path("<slug:slug>/organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path(
        "<slug:slug>/organisations/<int:pk>/edit/",
        views.organisation_edit,
        name="organisation_edit",
    ),
    path("<slug:slug>/people/new/", views.person_edit, name="person_create"),
    path("<slug:slug>/people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("<slug:slug>/pilots/", views.pilots, name="pilots"),
    path("<slug:slug>/pilots/new/", views.pilot_edit, name="pilot_create"),
    path("<slug:slug>/pilots/<int:pk>/", views.pilot_detail, name="pilot"),
    path("<slug:slug>/pilots/<int:pk>/edit/", views.pilot_edit, name="pilot_edit"),
    path("<slug:slug>/map/actors/", views.actor_map, name="actor_map"),
    path("<slug:slug>/map/world/", views.world_map, name="world_map"),
]
