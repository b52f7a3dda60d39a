"""Error pages are the site's own: the layout, a way on, the visitor's language; 405 has a body;
the favicon answers."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.utils import translation

from recolte import errors
from recolte.testing import make_world

LANGUAGES = [
    ("fr", "Cette page n’existe pas", "Page d’accueil"),
    ("en", "This page does not exist", "Home page"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "heading", "home"), LANGUAGES)
def test_404_is_branded_and_translated(language, heading, home):
    response = Client().get("/no/such/page/", HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{language}">' in page and 'class="topbar"' in page
    assert heading in page and home in page and 'data-status="404"' in page


@pytest.mark.django_db
def test_403_explains_the_refusal_in_the_layout():
    world = make_world()
    client = Client()
    client.force_login(world.users["reader"])
    response = client.get("/p/prog/audit/", HTTP_ACCEPT_LANGUAGE="fr")
    page = response.content.decode()
    assert response.status_code == 403 and 'data-status="403"' in page
    assert "Vous ne pouvez pas faire cela" in page and 'class="topbar"' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "said"),
    [("fr", "ne s’ouvre pas de cette façon"), ("en", "is not meant to be opened this way")],
)
def test_a_post_only_address_opened_by_a_link_gets_a_page(language, said):
    response = Client().get("/accounts/logout/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 405 and response["Allow"] == "POST, OPTIONS"
    page = response.content.decode()
    assert said in page and 'data-status="405"' in page
    assert Client().head("/accounts/logout/").content == b""  # HEAD answers carry no body


@pytest.mark.django_db
def test_500_renders_the_layout_and_falls_back_to_a_bare_page(monkeypatch):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with translation.override("fr"):
        page = errors.server_error(request).content.decode()
    assert 'data-status="500"' in page and "Une erreur s’est produite de notre côté" in page

    def broken(*args, **kwargs):
        raise RuntimeError("the database is gone")

    monkeypatch.setattr(errors, "render", broken)
    response = errors.server_error(request)
    assert response.status_code == 500 and response.content.decode() == errors.BARE_500


@pytest.mark.django_db
def test_the_favicon_answers_and_every_page_names_it():
    client = Client()
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    icon = client.get(response["Location"])
    assert icon.status_code == 200 and b"<svg" in b"".join(icon.streaming_content)
    assert client.post("/favicon.ico").status_code == 405
    home = client.get("/", follow=True).content.decode()
    assert f'<link rel="icon" href="{response["Location"]}" type="image/svg+xml">' in home


@pytest.mark.django_db
def test_a_form_sent_without_its_token_gets_a_page_that_says_what_to_do():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 403 and 'class="topbar"' in page
    assert "This form could not be accepted" in page and "reload the page" in page
