import pytest
from django.test import override_settings
from django.urls import reverse

from recolte.testing import PASSWORD


@override_settings(LOGIN_RATE_LIMIT=3)
def test_login_is_rate_limited_per_username(client, world):
    user = world.users["reader"].username
    for _ in range(3):
        assert (
            client.post(reverse("login"), {"username": user, "password": "wrong"}).status_code
            == 200
        )
    # Locked: even the right password is refused until the window passes.
    locked = client.post(reverse("login"), {"username": user, "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_successful_login_clears_failures(client, world):
    user = world.users["reader"].username
    client.post(reverse("login"), {"username": user, "password": "wrong"})
    response = client.post(reverse("login"), {"username": user, "password": PASSWORD})
    assert response.status_code == 302
    from recolte.access.models import LoginAttempt

    assert not LoginAttempt.objects.filter(username=user).exists()


@pytest.mark.django_db
def test_security_headers_and_csrf(client):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    strict = type(client)(enforce_csrf_checks=True)
    assert strict.post(reverse("login"), {"username": "a", "password": "b"}).status_code == 403


def test_contributor_membership_needs_an_organisation(world):
    from django.core.exceptions import ValidationError

    from recolte.access.models import Membership

    membership = Membership(
        user=world.users["outsider"], programme=world.programme, role="contributor"
    )
    with pytest.raises(ValidationError):
        membership.clean()
