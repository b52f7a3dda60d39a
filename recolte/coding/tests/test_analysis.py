"""Frequencies, matrix counts with drill-down, co-occurrence, quotes bank, exports."""

import csv
import io
import re
from datetime import date

from django.urls import reverse
from openpyxl import load_workbook

from recolte.coding import selectors
from recolte.coding.heat import heat_level
from recolte.coding.services import coding_create, quote_mark
from recolte.coding.tests.helpers import code, version

TEXT = "Une première idée importante. Une seconde idée, plus longue, sur la commune."


def _setup(world):
    user = world.users["facilitator"]
    root = code(world.programme, "r", codable=False)
    x, y = code(world.programme, "r.x", root), code(world.programme, "r.y", root)
    ngo = version(
        world.programme,
        TEXT,
        organisations=[world.lead],
        date=date(2016, 3, 1),
        language="fr",
        instrument="logbook",
    )
    both = version(
        world.programme,
        TEXT,
        organisations=[world.lead, world.partner],
        date=date(2017, 5, 1),
        language="en",
    )
    coding_create(version=ngo, start=0, end=28, code=x, coder=user)
    coding_create(version=ngo, start=4, end=12, code=y, coder=user)  # overlaps the first
    coding_create(version=ngo, start=30, end=50, code=x, coder=user)
    coding_create(version=both, start=0, end=28, code=x, coder=user)
    return root, x, y, ngo, both


def test_matrix_counts_by_nature_and_drill_down(world):
    root, x, y, ngo, both = _setup(world)
    found = selectors.matrix(world.programme, "nature")
    assert [value for value, _label in found.columns] == ["local_authority", "ngo"]
    rows = {c.key: cells for c, _depth, cells in found.rows}
    assert set(rows) == {"r.x", "r.y"}  # folders without codings have no row
    assert rows["r.x"]["ngo"].codings == 3 and len(rows["r.x"]["ngo"].passages) == 3
    assert rows["r.x"]["ngo"].organisations == {world.lead.pk, world.partner.pk}
    assert rows["r.x"]["local_authority"].codings == 1
    assert rows["r.y"]["ngo"].codings == 1 and "local_authority" not in rows["r.y"]
    drill = selectors.cell_codings(world.programme, "nature", x, "local_authority")
    assert [c.version for c in drill] == [both]

    rolled = {
        c.key: cells
        for c, _d, cells in selectors.matrix(world.programme, "nature", rollup=True).rows
    }
    assert rolled["r"]["ngo"].codings == 4 and len(rolled["r"]["ngo"].passages) == 4
    assert len(selectors.cell_codings(world.programme, "nature", root, "ngo", rollup=True)) == 4


def test_matrix_other_attributes(world):
    _setup(world)
    years = selectors.matrix(world.programme, "year")
    assert [v for v, _l in years.columns] == ["2016", "2017"]
    languages = {
        c.key: cells for c, _d, cells in selectors.matrix(world.programme, "language").rows
    }
    assert languages["r.x"]["en"].codings == 1 and languages["r.x"]["fr"].codings == 2
    countries = selectors.matrix(world.programme, "country")
    assert {v for v, _l in countries.columns} == {"FR", "ML"}
    pilots = selectors.matrix(world.programme, "pilot")
    assert [v for v, _l in pilots.columns] == [selectors.NONE]
    instruments = selectors.matrix(world.programme, "instrument")
    assert {v for v, _l in instruments.columns} == {"logbook", selectors.NONE}


def test_frequencies_and_co_occurrence(world):
    root, x, y, _ngo, _both = _setup(world)
    rows = {r["code"].key: r for r in selectors.frequencies(world.programme)}
    assert (rows["r.x"]["codings"], rows["r.x"]["resources"]) == (3, 2)
    assert (rows["r"]["codings"], rows["r"]["passages"]) == (0, 4)
    assert selectors.co_occurrence(world.programme) == {(x.pk, y.pk): 1}


def test_quotes_bank_per_code(world):
    root, x, y, ngo, _both = _setup(world)
    quote_mark(coding=ngo.codings.get(code=y), person_name="Awa")
    assert [q.person_name for q in selectors.quotes_bank(world.programme, y)] == ["Awa"]
    assert selectors.quotes_bank(world.programme, root).count() == 1
    assert not selectors.quotes_bank(world.programme, x).exists()


def test_exports_neutralise_formulas(client, world):
    """A contributor's text and code names that look like formulas stay text in every export."""
    hostile = '=HYPERLINK("http://evil.example","x")'
    root = code(world.programme, "r", codable=False)
    evil, minus = (
        code(world.programme, "r.e", root, name="@SUM(1)"),
        code(world.programme, "r.m", root, name="-x"),
    )
    ngo = version(world.programme, hostile + " fin.", organisations=[world.lead])
    user = world.users["facilitator"]
    quote_mark(coding=coding_create(version=ngo, start=0, end=len(hostile), code=evil, coder=user))
    coding_create(version=ngo, start=0, end=4, code=minus, coder=user)
    client.force_login(user)
    expected = {
        "quotes": ["'" + hostile, "'@SUM(1)"],
        "matrix": ["'@SUM(1)", "'-x"],
        "frequencies": ["'@SUM(1)", "'-x"],
        "cooccurrence": ["'@SUM(1)", "'-x"],
    }
    for name, neutralised in expected.items():
        url = reverse(f"coding:{name}", args=["prog"])
        body = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
        cells = [c for row in csv.reader(io.StringIO(body)) for c in row]
        assert set(neutralised) <= set(cells), name
        assert not any(c.startswith(("=", "@", "+", "-")) for c in cells), name
        book = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
        assert not [c for row in book.active.iter_rows() for c in row if c.data_type == "f"], name


def test_heat_levels_are_proportional_to_the_largest_count():
    assert [heat_level(n, 10) for n in (0, 1, 2, 3, 5, 8, 10)] == [0, 1, 1, 2, 3, 4, 5]
    assert heat_level(1, 1) == 5 and heat_level(0, 0) == 0 and heat_level(-1, 4) == 0


def _heat(page: str) -> dict[str, str]:
    """The heat level of each cell of a table body, keyed by row key · column value."""
    cells = {}
    for row in re.findall(r'<tr data-key="([^"]+)">(.*?)</tr>', page, re.S):
        for value, level in re.findall(r'data-value="([^"]+)" data-heat="(\d)"', row[1]):
            cells[f"{row[0]}·{value}"] = level
    return cells


def test_matrix_and_co_occurrence_pages_shade_cells_by_count(client, world):
    _root, x, y, _ngo, _both = _setup(world)
    client.force_login(world.users["facilitator"])
    url = reverse("coding:matrix", args=["prog"]) + "?attribute=nature&measure=codings"
    page = client.get(url).content.decode()
    # r.x·ngo holds the largest count (3 codings): darkest; one coding is 1/3 of it: level 2.
    assert _heat(page) == {
        "r.x·local_authority": "2",
        "r.x·ngo": "5",
        "r.y·local_authority": "0",
        "r.y·ngo": "2",
    }
    assert 'class="num heat-5"' in page and 'class="num zero"' in page
    pairs = client.get(reverse("coding:cooccurrence", args=["prog"])).content.decode()
    assert 'class="num heat-5" data-heat="5">1</td>' in pairs  # the one pair is the largest
