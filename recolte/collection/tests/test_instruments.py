"""One spec per instrument: every list of instruments in the tree derives from `SPECS`."""

import pytest

from recolte.collection.forms_campaigns import CampaignForm
from recolte.collection.forms_library import RecordForm
from recolte.collection.instruments import (
    CAMPAIGN_INSTRUMENTS,
    MAIN_KIND,
    RECORD_INSTRUMENTS,
    REPORT_LABELS,
    SPECS,
    Instrument,
    campaign_choices,
    recorded,
)
from recolte.collection.models import Record, Resource


def test_every_instrument_has_exactly_one_spec():
    assert set(SPECS) == set(Instrument)


def test_every_instrument_is_answered_through_a_campaign_or_recorded():
    assert set(CAMPAIGN_INSTRUMENTS) | set(RECORD_INSTRUMENTS) == set(Instrument)
    assert not set(CAMPAIGN_INSTRUMENTS) & set(RECORD_INSTRUMENTS)


def test_report_labels_cover_every_instrument():
    assert set(REPORT_LABELS) == {*Instrument.values, ""}
    assert all(label.strip() for label in REPORT_LABELS.values())


@pytest.mark.parametrize("instrument", RECORD_INSTRUMENTS)
def test_a_recorded_instrument_names_a_record_kind_and_record_fields(instrument):
    spec = recorded(instrument)
    assert spec.kind in Resource.Kind.values and MAIN_KIND[instrument] == spec.kind
    record_fields = {f.name for f in Record._meta.get_fields()}
    assert set(spec.fields) <= record_fields
    assert "title" in spec.fields and "confidentiality" in spec.fields


@pytest.mark.parametrize("instrument", CAMPAIGN_INSTRUMENTS)
def test_a_campaign_instrument_has_no_record_form(instrument):
    with pytest.raises(KeyError):
        recorded(instrument)


@pytest.mark.django_db
def test_the_campaign_form_offers_no_recorded_instrument(world):
    offered = {
        value
        for value, _label in CampaignForm(programme=world.programme).fields["instrument"].choices
        if value
    }
    assert offered == {i.value for i in CAMPAIGN_INSTRUMENTS} == {v for v, _ in campaign_choices()}
    assert Instrument.INTERVIEW not in offered
    form = CampaignForm(
        {"title": "Entretiens", "instrument": Instrument.INTERVIEW, "audience": "all_members"},
        programme=world.programme,
    )
    assert not form.is_valid() and "instrument" in form.errors


@pytest.mark.django_db
@pytest.mark.parametrize("instrument", RECORD_INSTRUMENTS)
def test_the_record_form_shows_the_fields_of_its_spec(world, instrument):
    form = RecordForm(programme=world.programme, instrument=instrument)
    spec = recorded(instrument)
    assert [name for name in form.fields if name in spec.fields] == list(spec.fields)
    assert form.fields["people"].label == spec.people_label
