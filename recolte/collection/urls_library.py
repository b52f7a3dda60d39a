"""Library, records and e-mail import pages (mounted at the site root by collection.urls)."""

from django.urls import path

from recolte.collection import views_library as library
from recolte.collection import views_mail as mail
from recolte.collection import views_records as records

P = "p/<slug:slug>/"

urlpatterns = [
    path(f"{P}library/", library.library_view, name="library"),
    path(f"{P}library/upload/", library.resource_upload, name="resource_upload"),
    path(f"{P}library/uploads/", library.uploads_view, name="uploads"),
    path(f"{P}library/<int:pk>/", library.resource_view, name="resource"),
    path(f"{P}library/<int:pk>/edit/", library.resource_edit, name="resource_edit"),
    path(f"{P}library/<int:pk>/text/", library.resource_text_edit, name="resource_text_edit"),
    path(f"{P}library/<int:pk>/original/", library.resource_original, name="resource_original"),
    path(f"{P}records/", records.records_view, name="records"),
    path(f"{P}records/new/", records.record_create, name="record_create"),
    path(f"{P}records/<int:pk>/", records.record_view, name="record"),
    path(f"{P}records/<int:pk>/edit/", records.record_edit, name="record_edit"),
    path(f"{P}records/<int:pk>/boxes/new/", records.box_create, name="box_create"),
    path(f"{P}mail/import/", mail.mail_import, name="mail_import"),
    path(f"{P}mail/review/", mail.mail_review, name="mail_review"),
    path(f"{P}mail/review/<int:pk>/", mail.mail_decide, name="mail_decide"),
]
