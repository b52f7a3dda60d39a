"""The site's URLs with the portal mounted, whether or not the site mounts it yet."""

from django.urls import include, path

from recolte.urls import urlpatterns as site

mounted = any(getattr(p, "namespace", None) == "portal" for p in site)
urlpatterns = site if mounted else [*site, path("", include("recolte.portal.urls"))]
