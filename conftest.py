"""Fixtures shared by every test of the repository."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client, RequestFactory
from django.utils import translation


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path: Path) -> None:
    """Uploads go to a per-test directory, never the developer's var/; hashing stays cheap."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # The default PBKDF2 costs ~0.3 s per password on these cores; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in English activates it for the
    thread (Django's LocaleMiddleware never deactivates), and code a test then calls directly
    would speak English."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True, scope="session")
def _login_with_a_request():
    """django-axes throttles each login by its request, which Client.login does not pass: give
    it the one a POST from the test client's address makes, so axes stays on in tests."""
    login = Client.login

    def with_request(self, **credentials):
        return login(self, request=RequestFactory().post("/"), **credentials)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Client, "login", with_request)
        yield
