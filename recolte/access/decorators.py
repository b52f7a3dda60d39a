"""View decorators that put the policy in front of every programme page."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from recolte.access.policy import Action, programme_or_404


def programme_view(action: Action = Action.VIEW) -> Callable:
    """Resolve the `slug` URL argument to a programme the user may `action` in.

    The view receives `programme` instead of `slug`. Anonymous visitors go to the login page.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            programme = programme_or_404(request.user, slug, action)
            request.programme = programme
            return view(request, programme, *args, **kwargs)

        return wrapper

    return decorate
