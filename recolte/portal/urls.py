"""Public portal pages under public/, and the staff publication verbs under p/<slug>/."""

from django.urls import path

from recolte.portal import views, views_publish

app_name = "portal"

P = "public/<slug:slug>/"

urlpatterns = [
    path("public/", views.index, name="index"),
    path(P, views.programme_home, name="programme"),
    path(f"{P}pilots/", views.pilots, name="pilots"),
    path(f"{P}pilots/<slug:code>/", views.pilot, name="pilot"),
    path(f"{P}library/", views.library, name="library"),
    path(f"{P}library/<int:pk>/", views.resource, name="resource"),
    path(f"{P}syntheses/", views.syntheses, name="syntheses"),
    path(f"{P}syntheses/<int:pk>/", views.synthesis, name="synthesis"),
    path(f"{P}reports/<int:pk>/", views.report, name="report"),
    path(f"{P}reports/<int:pk>/<str:fmt>/", views.report_file, name="report_file"),
    path("p/<slug:slug>/publication/", views_publish.publication, name="publication"),
    path(
        "p/<slug:slug>/publication/<str:kind>/<int:pk>/",
        views_publish.publish,
        name="publish",
    ),
]
