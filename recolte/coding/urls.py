"""Coding room URLs: mount with `path("", include("recolte.coding.urls"))`."""

from django.urls import path

from recolte.coding import (
    views_agreement,
    views_analysis,
    views_codebook,
    views_quotes,
    views_workbench,
)

app_name = "coding"
P = "p/<slug:slug>/coding/"

urlpatterns = [
    path(P, views_codebook.codebook_page, name="codebook"),
    path(f"{P}codes/add/", views_codebook.code_add, name="code_add"),
    path(f"{P}codes/<int:pk>/edit/", views_codebook.code_edit, name="code_edit"),
    path(f"{P}codes/<int:pk>/move/", views_codebook.code_move, name="code_move"),
    path(f"{P}codes/<int:pk>/merge/", views_codebook.code_merge, name="code_merge"),
    path(f"{P}codes/<int:pk>/delete/", views_codebook.code_delete, name="code_delete"),
    path(f"{P}codebook.json", views_codebook.codebook_export, name="codebook_export"),
    path(f"{P}import/", views_codebook.codebook_import, name="codebook_import"),
    path(f"{P}resources/<int:pk>/", views_workbench.workbench, name="workbench"),
    path(f"{P}versions/<int:pk>/codings/", views_workbench.codings, name="codings"),
    path(f"{P}codings/<int:pk>/", views_workbench.coding_detail, name="coding_detail"),
    path(f"{P}codings/<int:pk>/delete/", views_workbench.coding_delete, name="coding_delete"),
    path(f"{P}codings/<int:pk>/adjust/", views_workbench.coding_adjust, name="coding_adjust"),
    path(f"{P}undo/", views_workbench.undo, name="undo"),
    path(f"{P}memos/", views_workbench.memo_add, name="memo_add"),
    path(f"{P}analysis/", views_analysis.frequencies, name="frequencies"),
    path(f"{P}analysis/matrix/", views_analysis.matrix, name="matrix"),
    path(f"{P}analysis/matrix/cell/", views_analysis.matrix_cell, name="matrix_cell"),
    path(f"{P}analysis/cooccurrence/", views_analysis.cooccurrence, name="cooccurrence"),
    path(f"{P}analysis/quotes/", views_analysis.quotes, name="quotes"),
    path(f"{P}quotes/found/", views_quotes.quote_queue, name="quote_queue"),
    path(f"{P}versions/<int:pk>/quotes/confirm/", views_quotes.quote_confirm, name="quote_confirm"),
    path(f"{P}versions/<int:pk>/quotes/dismiss/", views_quotes.quote_dismiss, name="quote_dismiss"),
    path(f"{P}agreement/", views_agreement.agreement_page, name="agreement"),
    path(f"{P}agreement/<str:name>/", views_agreement.agreement_round, name="agreement_round"),
    path(f"{P}agreement/<str:name>/settle/", views_agreement.settle, name="settle"),
]

from recolte.coding import urls_suggest  # noqa: E402

urlpatterns += urls_suggest.urlpatterns
