from django.contrib.auth import views as auth_views
from django.urls import path

from recolte.access import views_audit
from recolte.access.views import LoginView

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(template_name="access/password_change.html"),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="access/password_done.html"),
        name="password_change_done",
    ),
    path("audit/", views_audit.platform_audit, name="platform_audit"),
    path("audit/export.csv", views_audit.platform_audit_export, name="platform_audit_export"),
]

# Mounted under /p/ by the root URLconf, beside the registry's programme pages.
programme_urlpatterns = [
    path("<slug:slug>/audit/", views_audit.programme_audit, name="programme_audit"),
    path(
        "<slug:slug>/audit/export.csv",
        views_audit.programme_audit_export,
        name="programme_audit_export",
    ),
]
