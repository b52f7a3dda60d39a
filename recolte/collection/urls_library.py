"""Library, records and e-mail import pages (mounted at the site root by collection.urls)."""

from django.urls import path

from recolte.collection import views_library as views

P = "p/<slug:slug>/"

urlpatterns = [
    path(f"{P}library/", views.library_view, name="library"),
    path(f"{P}library/upload/", views.resource_upload, name="resource_upload"),
    path(f"{P}library/uploads/", views.uploads_view, name="uploads"),
    path(f"{P}library/<int:pk>/", views.resource_view, name="resource"),
    path(f"{P}library/<int:pk>/edit/", views.resource_edit, name="resource_edit"),
    path(f"{P}library/<int:pk>/text/", views.resource_text_edit, name="resource_text_edit"),
    path(f"{P}library/<int:pk>/original/", views.resource_original, name="resource_original"),
    path(f"{P}records/", views.records_view, name="records"),
    path(f"{P}records/new/", views.record_create, name="record_create"),
    path(f"{P}records/<int:pk>/", views.record_view, name="record"),
    path(f"{P}records/<int:pk>/edit/", views.record_edit, name="record_edit"),
    path(f"{P}records/<int:pk>/boxes/new/", views.box_create, name="box_create"),
    path(f"{P}mail/import/", views.mail_import, name="mail_import"),
    path(f"{P}mail/review/", views.mail_review, name="mail_review"),
    path(f"{P}mail/review/<int:pk>/", views.mail_decide, name="mail_decide"),
]
