"""The demo codings load once onto the demo texts and fill the analysis with real counts."""

import json

import pytest

from recolte.coding import selectors
from recolte.coding.demo_codings import DEMO_CODINGS, DemoCodingError, load_demo_codings
from recolte.coding.models import Coding, Consent, Quote
from recolte.collection.models import Resource
from recolte.portal.demo import demo_load


@pytest.fixture
def demo(db):
    programme, _accounts = demo_load()
    load_demo_codings(programme)  # a no-op if demo_load already loads them
    return programme


def test_demo_codings_spread_over_codes_organisations_and_quotes(demo):
    codings = Coding.objects.filter(code__programme=demo)
    entries = json.loads(DEMO_CODINGS.read_text())["codings"]
    assert codings.count() == len(entries) >= 60
    assert codings.values("code").distinct().count() >= 25
    assert not codings.filter(code__codable=False).exists()
    organisations = Resource.organisations.through.objects.filter(
        resource__versions__codings__in=codings
    )
    assert organisations.values("organisation").distinct().count() >= 6
    quotes = Quote.objects.filter(coding__in=codings)
    assert quotes.count() >= 10
    assert quotes.filter(consent=Consent.REFUSED).count() >= 3
    assert all(q.organisation_id and q.person_name for q in quotes)
    assert codings.exclude(memo="").count() == sum("memo" in e for e in entries)
    first = codings.get(code__key="a1.s11.A.tensions.arbitrer")
    assert first.text.startswith("L'association malienne a proposé")
    assert first.coder.username == "facilitator"


def test_demo_codings_load_once(demo):
    counts = (
        Coding.objects.count(),
        Quote.objects.count(),
        Coding.objects.exclude(memo="").count(),
    )
    assert load_demo_codings(demo) == 0
    assert (
        Coding.objects.count(),
        Quote.objects.count(),
        Coding.objects.exclude(memo="").count(),
    ) == counts


def test_demo_matrix_has_counts_in_every_direction(demo):
    by_nature = selectors.matrix(demo, "nature")
    assert {value for value, _label in by_nature.columns} >= {"ngo", "union"}
    assert sum(c.codings for _code, _d, cells in by_nature.rows for c in cells.values()) >= 60
    by_pilot = selectors.matrix(demo, "pilot", rollup=True)
    assert len(by_pilot.columns) >= 8
    axis = next(cells for code, _d, cells in by_pilot.rows if code.key == "a1")
    assert sum(1 for cell in axis.values() if cell.codings) >= 8
    instruments = {value for value, _label in selectors.matrix(demo, "instrument").columns}
    assert instruments >= {"field_logbook", "one_off_question", "interview", "workshop"}


def test_an_edited_demo_text_names_the_stale_entry(demo, tmp_path):
    entry = json.loads(DEMO_CODINGS.read_text())["codings"][0]
    stale = tmp_path / "codings.json"
    stale.write_text(json.dumps({"codings": [{**entry, "text": "Une phrase disparue."}]}))
    with pytest.raises(DemoCodingError, match=r"#1 .*Carnet de route n°1 — GRDR.*occurs 0 times"):
        load_demo_codings(demo, stale)
