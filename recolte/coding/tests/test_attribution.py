"""A quote names who said it or is marked anonymous: the rule holds for every caller of the
service, and no page or report prints an empty attribution « … » ()."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from recolte.coding.models import Consent, Quote
from recolte.coding.services import coding_create, quote_mark
from recolte.coding.tests.helpers import code, version
from recolte.synthesis.assemble import ANONYMOUS, attribution
from recolte.synthesis.evidence import QuoteInfo
from recolte.synthesis.models import Pseudonymise
from recolte.synthesis.report import ReportQuote
from recolte.synthesis.report.md_writer import _quote as md_quote


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


TEXT = "Nous avons appris à travailler avec la commune."


@pytest.fixture
def coding(world):
    v = version(world.programme, TEXT)  # no provenance: nothing to guess an attribution from
    return coding_create(
        version=v, start=0, end=20, code=code(world.programme, "k"), coder=world.users["admin"]
    )


def test_a_quote_without_speaker_nor_organisation_is_refused(coding):
    with pytest.raises(ValidationError, match="anonymous"):
        quote_mark(coding=coding, consent=Consent.GIVEN)
    with pytest.raises(ValidationError):
        quote_mark(coding=coding, person_name="   ")
    assert not Quote.objects.exists()


def test_an_organisation_alone_or_a_name_is_enough(world, coding):
    assert quote_mark(coding=coding, organisation=world.lead).attribution() == "ALPHA"
    assert quote_mark(coding=coding, person_name="Awa").attribution().startswith("Awa")


def test_anonymous_drops_the_name_and_says_so(world, coding):
    quote = quote_mark(coding=coding, person_name="Awa", organisation=world.partner, anonymous=True)
    assert quote.person_name == "" and quote.person is None
    assert quote.attribution() == "anonymous, BETA"


@pytest.mark.parametrize("mode", list(Pseudonymise))
def test_reports_print_anonymous_never_empty_parentheses(mode):
    anonymous = QuoteInfo("Awa", "Awa Diop", "", "", "", Consent.GIVEN, anonymous=True)
    label = attribution(anonymous, mode).label()
    assert label == ANONYMOUS
    assert md_quote(ReportQuote("Dit.", attribution(anonymous, mode))).endswith("(anonyme)\n\n")
    nobody = QuoteInfo("", "", "", "", "", Consent.UNKNOWN)
    assert "()" not in md_quote(ReportQuote("Dit.", attribution(nobody, mode)))
