from django.contrib.auth import views as auth_views


class LoginView(auth_views.LoginView):
    """Django's login; django-axes throttles failed attempts (see settings, access/throttle)."""

    template_name = "access/login.html"
    redirect_authenticated_user = True
