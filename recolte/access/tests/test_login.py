from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from recolte.testing import PASSWORD


def attempt(client, username: str, password: str = "wrong", url: str = "", **extra):
    return client.post(
        url or reverse("login"), {"username": username, "password": password}, **extra
    )


def test_username_is_locked_after_the_limit_even_with_the_right_password(client, world):
    user = world.users["reader"].username
    for _ in range(settings.LOGIN_RATE_LIMIT - 1):
        assert attempt(client, user).status_code == 200
    assert attempt(client, user).status_code == 429
    # Locked: even the right password is refused until the window passes.
    assert attempt(client, user, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_signing_in_to_ones_own_account_keeps_the_failures_against_others(client, world):
    victim, own = world.users["reader"].username, world.users["contributor"].username
    for _ in range(settings.LOGIN_RATE_LIMIT - 1):
        attempt(client, victim)
    assert attempt(client, own, PASSWORD).status_code == 302
    client.logout()
    # The old throttle cleared everything from the address here, so guessing went on forever.
    assert attempt(client, victim).status_code == 429
    assert attempt(client, victim, PASSWORD).status_code == 429


def test_admin_login_is_throttled_and_shares_the_lockout(client, world):
    user = world.users["admin"]
    user.is_staff = True
    user.save()
    admin_login = reverse("admin:login")
    for _ in range(settings.LOGIN_RATE_LIMIT - 1):
        assert attempt(client, user.username, url=admin_login).status_code == 200
    assert attempt(client, user.username, url=admin_login).status_code == 429
    assert attempt(client, user.username, PASSWORD, url=admin_login).status_code == 429
    assert attempt(client, user.username, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_lasts_the_window_then_lifts(client, world):
    user = world.users["reader"].username
    for _ in range(settings.LOGIN_RATE_LIMIT):
        attempt(client, user)
    window = timedelta(seconds=settings.LOGIN_RATE_WINDOW)

    def age(by: timedelta) -> None:
        attempts = AccessAttempt.objects.filter(username=user)
        attempts.update(attempt_time=attempts.get().attempt_time - by)

    age(window - timedelta(seconds=30))
    # Still inside the window: refused, and the refused try starts the window again.
    assert attempt(client, user, PASSWORD).status_code == 429
    age(window + timedelta(seconds=1))
    assert attempt(client, user, PASSWORD).status_code == 302


def test_a_success_resets_only_that_usernames_failures(client, world):
    user, other = world.users["reader"].username, world.users["team"].username
    attempt(client, user)
    attempt(client, other)
    assert attempt(client, user, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username=user).exists()
    assert AccessAttempt.objects.filter(username=other).exists()


def test_an_address_may_try_several_accounts_but_not_many(client, world):
    per_address = settings.LOGIN_RATE_LIMIT_PER_ADDRESS
    for n in range(per_address - 1):
        # A forged X-Forwarded-For does not make a new address.
        response = attempt(client, f"guess-{n}", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
        assert response.status_code == 200
    assert attempt(client, "guess-last").status_code == 429
    assert attempt(client, world.users["reader"].username, PASSWORD).status_code == 429


def test_lockout_page_is_branded_and_translated(client, world):
    user = world.users["reader"].username
    for _ in range(settings.LOGIN_RATE_LIMIT):
        response = attempt(client, user, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Trop de tentatives infructueuses" in page
    assert 'href="/' in page  # the site's layout, not a bare text response


@pytest.mark.django_db
def test_security_headers_and_csrf(client):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    strict = type(client)(enforce_csrf_checks=True)
    assert strict.post(reverse("login"), {"username": "a", "password": "b"}).status_code == 403


def test_test_client_login_goes_through_the_throttle(client, world):
    user = world.users["reader"].username
    assert client.login(username=user, password=PASSWORD)
    assert not client.login(username=user, password="wrong")
    assert AccessAttempt.objects.filter(username=user).exists()


def test_contributor_membership_needs_an_organisation(world):
    from django.core.exceptions import ValidationError

    from recolte.access.models import Membership

    membership = Membership(
        user=world.users["outsider"], programme=world.programme, role="contributor"
    )
    with pytest.raises(ValidationError):
        membership.clean()
