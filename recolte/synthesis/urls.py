"""Synthesis URLs: mount with `path("", include("recolte.synthesis.urls"))`."""

from django.urls import path

from recolte.synthesis import views

app_name = "synthesis"
P = "p/<slug:slug>/synthesis/"

urlpatterns = [
    path(P, views.analysis, name="analysis"),
    path(f"{P}nodes/<int:pk>/", views.node_edit, name="node"),
    path(f"{P}preview/", views.preview, name="preview"),
    path(f"{P}reports/", views.export, name="export"),
    path(f"{P}reports/<int:pk>/", views.report_status, name="report"),
    path(f"{P}reports/<int:pk>/publish/", views.report_publish, name="report_publish"),
    path(f"{P}reports/<int:pk>/<str:fmt>/", views.report_file, name="report_file"),
    path(f"{P}campaigns/<int:pk>/", views.campaign, name="campaign"),
    path(f"{P}campaigns/<int:pk>/save/", views.campaign_save, name="campaign_save"),
    path(f"{P}campaigns/<int:pk>/publish/", views.campaign_publish, name="campaign_publish"),
    path(f"{P}campaigns/<int:pk>/export/<str:fmt>/", views.campaign_export, name="campaign_export"),
]
