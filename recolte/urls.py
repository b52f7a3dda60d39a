from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from recolte.access import urls as access_urls
from recolte.portal.views_home import home

urlpatterns = [
    path("", home, name="home"),
    # Browsers ask for /favicon.ico whatever the page says; the icon is an SVG.
    path(
        "favicon.ico",
        RedirectView.as_view(url=static("recolte/favicon.svg"), http_method_names=["get", "head"]),
        name="favicon",
    ),
    path("accounts/", include("recolte.access.urls")),
    path("p/", include("recolte.registry.urls")),
    path("p/", include(access_urls.programme_urlpatterns)),
    path("p/", include("recolte.privacy.urls")),
    path("", include("recolte.collection.urls")),
    path("", include("recolte.corpus.urls")),
    path("", include("recolte.coding.urls")),
    path("", include("recolte.synthesis.urls")),
    path("", include("recolte.portal.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler500 = "recolte.errors.server_error"
