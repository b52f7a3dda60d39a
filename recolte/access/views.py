from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.utils.translation import gettext as _

from recolte.access import ratelimit


class LoginView(auth_views.LoginView):
    """Django's login with a limit on failed attempts (per username and per address)."""

    template_name = "access/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs) -> HttpResponse:
        username = request.POST.get("username", "")
        ip = ratelimit.client_ip(request)
        if ratelimit.is_locked(username=username, ip=ip):
            # The password is not even checked while locked, so guessing gains nothing.
            context = self.get_context_data(
                form=self.form_class(request),
                locked=_("Too many failed attempts. Wait a few minutes and try again."),
            )
            response = self.render_to_response(context)
            response.status_code = 429
            return response
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            ratelimit.clear(username=username, ip=ip)
        else:
            ratelimit.record_failure(username=username, ip=ip)
        return response
