"""Parameter parsing: ids that are not ids are None or a 404, never a driver error."""

import pytest
from django import forms
from django.core.exceptions import BadRequest
from django.http import Http404

from recolte.registry.models import Organisation
from recolte.registry.params import clean, object_or_404, parse_id


@pytest.mark.parametrize(
    "value", ["", " ", "abc", "²", "1.5", "0", "-3", "9223372036854775808", None, [], "1e3"]
)
def test_parse_id_refuses_what_is_not_an_id(value):
    assert parse_id(value) is None


def test_parse_id_reads_ids():
    assert (parse_id("42"), parse_id(" 7 "), parse_id(9223372036854775807)) == (42, 7, 2**63 - 1)


def test_object_or_404(world):
    assert object_or_404(Organisation, str(world.lead.pk)) == world.lead
    for value in ("²", "99999999999999999999", str(world.lead.pk + 1000)):
        with pytest.raises(Http404):
            object_or_404(Organisation, value)
    with pytest.raises(Http404):  # the filters apply as well
        object_or_404(Organisation, str(world.lead.pk), programme=world.other_programme)


def test_clean_gives_a_bad_request():
    class Form(forms.Form):
        n = forms.IntegerField(max_value=10)

    assert clean(Form, {"n": "3"}) == {"n": 3}
    with pytest.raises(BadRequest, match="n"):
        clean(Form, {"n": "11"})


def test_in_lookup_drops_integers_no_column_holds(world):
    found = Organisation.objects.filter(pk__in=[10**30, -(10**30), world.lead.pk])
    assert list(found) == [world.lead]
    assert not Organisation.objects.filter(pk__in=[10**30]).exists()
