"""Campaign, answering and tracking addresses (mounted at the site root by collection.urls)."""

from django.urls import path

from recolte.collection import views_answering as answering
from recolte.collection import views_campaigns as views

C = "p/<slug:slug>/campaigns/"
ONE = C + "<int:pk>/"
RESPONSE = ONE + "responses/<int:org>/"

urlpatterns = [
    path(C, views.campaigns, name="campaigns"),
    path(C + "new/", views.campaign_edit, name="campaign_create"),
    path(ONE, views.campaign, name="campaign"),
    path(ONE + "edit/", views.campaign_edit, name="campaign_edit"),
    path(ONE + "duplicate/", views.campaign_duplicate, name="campaign_duplicate"),
    path(ONE + "open/", views.campaign_status, {"action": "open"}, name="campaign_open"),
    path(ONE + "close/", views.campaign_status, {"action": "close"}, name="campaign_close"),
    path(ONE + "questions/", views.campaign_questions, name="campaign_questions"),
    path(ONE + "questions/<int:qid>/edit/", views.question_edit, name="question_edit"),
    path(ONE + "questions/<int:qid>/move/", views.question_move, name="question_move"),
    path(ONE + "questions/<int:qid>/delete/", views.question_delete, name="question_delete"),
    path(ONE + "invitations/send/", views.campaign_invite, name="campaign_invite"),
    path(ONE + "invitations/new/", views.invitation_create, name="invitation_create"),
    path(ONE + "invitations/<int:iid>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path(ONE + "tracking/", views.campaign_tracking, name="tracking"),
    path(ONE + "tracking/export.<str:fmt>", views.tracking_export, name="tracking_export"),
    path(ONE + "answers/export.<str:fmt>", views.answers_export, name="answers_export"),
    path("p/<slug:slug>/tracking/", views.programme_tracking, name="programme_tracking"),
    path(
        "p/<slug:slug>/tracking/export.<str:fmt>",
        views.tracking_export,
        name="programme_tracking_export",
    ),
    path(RESPONSE, answering.response_detail, name="response"),
    path(RESPONSE + "files/<int:qid>/", answering.answer_file, name="answer_file"),
]

for step in answering.STEPS:
    suffix = "" if step == "page" else f"{step}/"
    name = "" if step == "page" else f"_{step}"
    urlpatterns += [
        path(ONE + "respond/" + suffix, answering.respond, {"step": step}, name="respond" + name),
        path(
            "invitation/<str:token>/" + suffix,
            answering.invitation,
            {"step": step},
            name="invitation" + name,
        ),
    ]
