from django.contrib import admin
from django.urls import include, path

from recolte.access import urls as access_urls
from recolte.portal.views_home import home

urlpatterns = [
    path("", home, name="home"),
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
