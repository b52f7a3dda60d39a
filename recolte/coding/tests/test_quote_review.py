"""Quotations found in text, reviewed by a person: confirmed as quotes, or dismissed for good."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from recolte.coding.models import Coding, Consent, Quote, QuoteDismissal
from recolte.coding.selectors import quote_reviews
from recolte.coding.services import coding_create, quote_confirm, quote_dismiss
from recolte.coding.tests.helpers import code, version
from recolte.registry.models import Country, Person
from recolte.testing import PASSWORD

SAID = "« Les opérateurs économiques vont vite et cherchent des résultats concrets »"
OTHER = "« Il n'y a d'enjeux partagés que si deux territoires se posent la même question »"
TEXT = f"Début du passage. {SAID} (Awa, ALPHA, Mali)\n\nSuite. {OTHER} (BETA)"


@pytest.fixture
def found(world):
    v = version(world.programme, TEXT, title="Carnet")
    theme = code(world.programme, "t", name="Interconnaissance")
    # the passage around the first quotation is coded: its code is the one proposed
    coding_create(
        version=v, start=0, end=TEXT.index("\n\n"), code=theme, coder=world.users["admin"]
    )
    awa = Person.objects.create(organisation=world.lead, first_name="Awa", last_name="Diallo")
    return v, theme, awa


def _login(client, world, role="facilitator"):
    client.login(username=world.users[role].username, password=PASSWORD)
    client.post(reverse("set_language"), {"language": "en"})


def test_reviews_propose_the_registry_rows_and_the_passage_code(world, found):
    v, theme, awa = found
    first, second = quote_reviews(world.programme, world.users["facilitator"])
    assert first.candidate.text == SAID.strip("« »")
    assert first.codes == [theme] and first.initial["code"] == theme
    assert first.initial["person"] == awa and first.initial["organisation"] == world.lead
    assert first.initial["country"] == Country.objects.get(code="ML")
    assert second.codes == [] and second.initial["organisation"] == world.partner


def test_confirm_codes_the_span_and_keeps_the_quote(world, found):
    v, theme, awa = found
    review = quote_reviews(world.programme, world.users["facilitator"])[0]
    c = review.candidate
    quote = quote_confirm(
        version=v,
        start=c.start,
        end=c.end,
        code=theme,
        coder=world.users["facilitator"],
        person=awa,
        person_name="Awa",
        organisation=world.partner,  # edited by the person
        country=None,
        consent=Consent.GIVEN,
    )
    assert (quote.coding.start, quote.coding.end, quote.coding.code) == (c.start, c.end, theme)
    assert quote.organisation == world.partner and quote.country is None
    assert quote.coding.text == c.text
    assert [r.candidate.text for r in quote_reviews(world.programme, world.users["admin"])] == [
        OTHER.strip("« »")
    ]
    # twice is refused, and leaves no second coding behind
    with pytest.raises(ValidationError):
        quote_confirm(
            version=v,
            start=c.start,
            end=c.end,
            code=theme,
            coder=world.users["admin"],
            consent=Consent.GIVEN,
        )
    assert Coding.objects.filter(start=c.start, end=c.end).count() == 1


def test_confirm_without_attribution_is_refused_and_rolled_back(world, found):
    v, theme, _awa = found
    c = quote_reviews(world.programme, world.users["facilitator"])[1].candidate
    with pytest.raises(ValidationError):
        quote_confirm(
            version=v,
            start=c.start,
            end=c.end,
            code=theme,
            coder=world.users["admin"],
            consent=Consent.UNKNOWN,
        )
    assert not Coding.objects.filter(start=c.start).exists()


def test_dismissed_quotations_do_not_come_back_in_a_new_version(world, found):
    v, _theme, _awa = found
    second = quote_reviews(world.programme, world.users["facilitator"])[1]
    quote_dismiss(resource=v.resource, text=second.candidate.text, user=None)
    quote_dismiss(resource=v.resource, text=second.candidate.text, user=None)  # twice: one row
    assert QuoteDismissal.objects.count() == 1
    v.resource.versions.create(number=2, text="Nouveau début. " + TEXT)
    texts = [r.candidate.text for r in quote_reviews(world.programme, world.users["admin"])]
    assert texts == [SAID.strip("« »")]


def test_queue_confirm_with_an_edited_organisation(client, world, found):
    v, theme, awa = found
    _login(client, world)
    url = reverse("coding:quote_queue", args=[world.programme.slug])
    page = client.get(url).content.decode()
    assert "Awa" in page and "Keep as a quote" in page
    first = quote_reviews(world.programme, world.users["facilitator"])[0]
    key = first.key
    response = client.post(
        reverse("coding:quote_confirm", args=[world.programme.slug, v.pk]),
        {
            "start": first.candidate.start,
            f"{key}-code": theme.pk,
            f"{key}-person": awa.pk,
            f"{key}-person_name": "Awa",
            f"{key}-organisation": world.partner.pk,
            f"{key}-consent": Consent.GIVEN,
        },
    )
    assert response.status_code == 302
    quote = Quote.objects.get()
    assert quote.organisation == world.partner and quote.coding.coder == world.users["facilitator"]


def test_queue_refuses_a_form_without_code_and_keeps_what_was_typed(client, world, found):
    v, _theme, _awa = found
    _login(client, world)
    second = quote_reviews(world.programme, world.users["facilitator"])[1]
    response = client.post(
        reverse("coding:quote_confirm", args=[world.programme.slug, v.pk]),
        {"start": second.candidate.start, f"{second.key}-person_name": "Moussa"},
    )
    assert response.status_code == 400
    assert 'value="Moussa"' in response.content.decode()
    assert not Quote.objects.exists()


def test_dismiss_from_the_resource_queue(client, world, found):
    v, _theme, _awa = found
    _login(client, world)
    second = quote_reviews(world.programme, world.users["facilitator"])[1]
    response = client.post(
        reverse("coding:quote_dismiss", args=[world.programme.slug, v.pk]),
        {"start": second.candidate.start, "scope": "resource"},
    )
    assert response.url.endswith(f"?resource={v.resource.pk}")
    page = client.get(response.url).content.decode()
    assert "même question" not in page and "résultats concrets" in page
    # the same post again: it is no longer proposed, and nothing is written
    client.post(
        reverse("coding:quote_dismiss", args=[world.programme.slug, v.pk]),
        {"start": second.candidate.start},
    )
    assert QuoteDismissal.objects.count() == 1


def test_workbench_counts_the_quotations_found(client, world, found):
    v, _theme, _awa = found
    _login(client, world)
    page = client.get(reverse("coding:workbench", args=[world.programme.slug, v.resource.pk]))
    assert "2 quotes found — review" in page.content.decode()


@pytest.mark.parametrize("role", ["contributor", "reader", "team"])
def test_non_coders_are_refused(client, world, found, role):
    v, _theme, _awa = found
    _login(client, world, role)
    slug = world.programme.slug
    assert client.get(reverse("coding:quote_queue", args=[slug])).status_code in (403, 404)
    for name in ("quote_confirm", "quote_dismiss"):
        response = client.post(reverse(f"coding:{name}", args=[slug, v.pk]), {"start": 18})
        assert response.status_code in (403, 404)
    assert not QuoteDismissal.objects.exists() and not Quote.objects.exists()
