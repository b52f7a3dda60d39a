"""Error pages in the site's layout and the visitor's language.

Django renders 400, 403 and 404 from the templates of the same name with the request, so the
layout, the navigation and the language come by themselves; it renders 500 without the request
and answers 405 with an empty body, which the two pieces below replace.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token

# When even the layout cannot render (the database is down, say), a page that needs nothing.
BARE_500 = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Récolte</title></head>"
    "<body><h1>Récolte</h1><p>Server error · Erreur du serveur</p><p><a href='/'>Récolte</a>"
    "</p></body></html>"
)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return render(request, "500.html", status=500)
    except Exception:  # noqa: BLE001 — whatever broke the page may break the layout too
        return HttpResponseServerError(BARE_500)


class MethodNotAllowedPageMiddleware:
    """A 405 (a POST-only address opened by a link, say) gets a page saying what to do; the
    Allow header is kept."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.content or request.method == "HEAD":
            return response
        page = render(request, "405.html", status=405)
        if "Allow" in response:
            page["Allow"] = response["Allow"]
        return page
