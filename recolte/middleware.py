"""What Django does not do by itself: response headers, and no NUL character in parameters."""

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

# Everything is served from our own origin: no CDN, no tile server, no remote fonts.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
    "form-action 'self'"
)

PERMISSIONS = "camera=(), microphone=(), geolocation=()"
NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS)
        return response


class NulCharacterMiddleware:
    """A NUL in a parameter is a 400 before any view reads it.

    PostgreSQL refuses NUL in text ("untranslatable character") and aborts the transaction, so a
    view that passes a raw parameter to a query would answer 500; no user types one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Only form bodies are parsed here; a JSON body is read by its view (request.body).
        sources = [request.GET]
        if request.content_type in FORM_TYPES:
            sources.append(request.POST)
        for params in sources:
            for key, values in params.lists():
                if NUL in key or any(NUL in value for value in values):
                    raise BadRequest("NUL character in a parameter")
        return self.get_response(request)
