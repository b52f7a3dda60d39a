"""Suggestion review URLs, appended to the coding room's `urlpatterns`."""

from django.urls import path

from recolte.coding import views_suggest

P = "p/<slug:slug>/coding/"

urlpatterns = [
    path(f"{P}review/", views_suggest.review, name="review"),
    path(f"{P}review/retrain/", views_suggest.retrain_now, name="suggestions_retrain"),
    path(f"{P}suggestions/<int:pk>/accept/", views_suggest.accept, name="suggestion_accept"),
    path(f"{P}suggestions/<int:pk>/pick/", views_suggest.pick, name="suggestion_pick"),
    path(f"{P}suggestions/<int:pk>/reject/", views_suggest.reject, name="suggestion_reject"),
    path(f"{P}passages/<int:pk>/reject/", views_suggest.reject_passage, name="passage_reject"),
    path(f"{P}versions/<int:pk>/suggestions/", views_suggest.panel, name="suggestions_panel"),
]
