"""The site's URLs with the coding room mounted, whether or not the site mounts it yet."""

from django.urls import include, path

from recolte.urls import urlpatterns as site

mounted = any(getattr(p, "namespace", None) == "coding" for p in site)
urlpatterns = site if mounted else [*site, path("", include("recolte.coding.urls"))]
