"""Undo, quotes and memos."""

import pytest
from django.core.exceptions import ValidationError

from recolte.coding.models import Coding, Consent, Quote
from recolte.coding.services import (
    coding_adjust,
    coding_create,
    coding_delete,
    memo_add,
    quote_defaults,
    quote_mark,
    undo_last,
)
from recolte.coding.tests.helpers import code, version
from recolte.collection.models import Record
from recolte.registry.models import Person

TEXT = "Nous avons appris à travailler avec la commune. Ce fut long mais utile."


def test_undo_reverts_create_delete_and_adjust_in_turn(world):
    user, other = world.users["facilitator"], world.users["admin"]
    v = version(world.programme, TEXT)
    c = code(world.programme, "k")
    first = coding_create(version=v, start=0, end=4, code=c, coder=user)
    quote_mark(coding=first, person_name="Awa", consent=Consent.GIVEN)
    coding_adjust(coding=first, start=0, end=10, user=user)
    pk = first.pk
    coding_delete(coding=first, user=user)
    coding_create(version=v, start=5, end=9, code=c, coder=other)  # someone else's step

    assert undo_last(user=user).kind == "delete"
    restored = Coding.objects.get(pk=pk)
    assert (restored.start, restored.end) == (0, 10)
    assert restored.quote.person_name == "Awa" and restored.quote.consent == Consent.GIVEN
    assert undo_last(user=user).kind == "adjust"
    assert Coding.objects.get(pk=pk).end == 4
    assert undo_last(user=user).kind == "create"
    assert not Coding.objects.filter(pk=pk).exists()
    assert undo_last(user=user) is None
    assert Coding.objects.filter(coder=other).count() == 1


def test_same_span_code_and_coder_is_not_duplicated(world):
    v = version(world.programme, TEXT)
    c = code(world.programme, "k")
    a = coding_create(version=v, start=0, end=4, code=c, coder=world.users["admin"])
    b = coding_create(version=v, start=0, end=4, code=c, coder=world.users["admin"])
    assert a.pk == b.pk and Coding.objects.count() == 1


def test_folders_and_foreign_codes_cannot_be_applied(world):
    v = version(world.programme, TEXT)
    with pytest.raises(ValidationError):
        coding_create(
            version=v,
            start=0,
            end=4,
            code=code(world.programme, "f", codable=False),
            coder=world.users["admin"],
        )
    with pytest.raises(ValidationError):
        coding_create(
            version=v,
            start=0,
            end=4,
            code=code(world.other_programme, "x"),
            coder=world.users["admin"],
        )


def test_quote_attribution_comes_from_provenance_and_stays_editable(world):
    person = Person.objects.create(organisation=world.partner, first_name="Awa", last_name="Diallo")
    record = Record.objects.create(
        programme=world.programme, instrument="interview", title="Entretien", consent_given=True
    )
    v = version(world.programme, TEXT, record=record, organisations=[world.partner])
    v.resource.people.set([person])
    coding = coding_create(
        version=v, start=0, end=20, code=code(world.programme, "k"), coder=world.users["admin"]
    )
    guess = quote_defaults(coding)
    assert guess["person"] == person and guess["person_name"] == "Awa"
    assert guess["organisation"] == world.partner and guess["country"].code == "ML"
    assert guess["consent"] == Consent.GIVEN
    quote = quote_mark(coding=coding, person_name="A. D.", consent=Consent.REFUSED)
    assert quote.attribution() == "A. D., BETA, Mali"
    assert Quote.objects.get().consent == Consent.REFUSED


def test_quote_country_falls_back_to_the_pilot(world):
    v = version(world.programme, TEXT, pilot=world.pilot)
    world.pilot.countries.set([world.partner.country])
    coding = coding_create(
        version=v, start=0, end=20, code=code(world.programme, "k"), coder=world.users["admin"]
    )
    guess = quote_defaults(coding)
    assert guess["person"] is None and guess["country"].code == "ML"
    assert guess["consent"] == Consent.UNKNOWN


def test_memos_need_one_target_and_text(world):
    c = code(world.programme, "k")
    memo = memo_add(author=world.users["admin"], text=" idée ", code=c)
    assert memo.text == "idée" and memo.programme == world.programme
    with pytest.raises(ValidationError):
        memo_add(author=world.users["admin"], text="", code=c)
    with pytest.raises(ValidationError):
        memo_add(author=world.users["admin"], text="x")
