"""The one table writer: formula-like text is neutralised in CSV and XLSX, numbers stay numbers."""

import csv
import io

import pytest
from openpyxl import load_workbook

from recolte.registry.exchange import registry_export, registry_import
from recolte.registry.models import Organisation
from recolte.registry.tables import table_bytes

HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_plain_tables_are_unchanged():
    rows = [["a.b", "Élus", 3, -4, 2.5]]
    csv_text = table_bytes(header=["key", "code", "n", "m", "x"], rows=rows, fmt="csv")
    assert csv_text.startswith("\ufeff".encode())
    assert csv_text.decode("utf-8-sig").splitlines() == ["key,code,n,m,x", "a.b,Élus,3,-4,2.5"]
    raw = table_bytes(header=["key", "code", "n", "m", "x"], rows=rows, fmt="xlsx")
    sheet = load_workbook(io.BytesIO(raw)).active
    assert [c.value for c in sheet[2]] == ["a.b", "Élus", 3, -4, 2.5]
    assert sheet["D2"].data_type == "n"  # a negative number is a number, not text


@pytest.mark.parametrize("value", HOSTILE)
def test_csv_prefixes_formula_like_text(value):
    body = table_bytes(header=["answer", "n"], rows=[[value, -1]], fmt="csv")
    (row,) = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))[1:]
    assert row == ["'" + value, "-1"]


@pytest.mark.parametrize("value", HOSTILE)
def test_xlsx_keeps_formula_like_text_as_quoted_text(value):
    raw = table_bytes(header=["answer", "n"], rows=[[value, -1]], fmt="xlsx")
    cell, number = load_workbook(io.BytesIO(raw)).active[2]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (value, "s", True)
    assert (number.value, number.data_type) == (-1, "n")


def test_registry_workbook_round_trips_formula_like_text(world):
    """The registry export is read back: its neutralised cells must come back exactly."""
    hostile = {"description": "=1+1", "city": "-@home"}
    world.lead.__dict__.update(hostile)
    world.lead.save()
    raw = registry_export(programme=world.programme, fmt="xlsx")
    sheet = load_workbook(io.BytesIO(raw))["organisations"]
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    Organisation.objects.filter(pk=world.lead.pk).update(description="", city="")
    registry_import(data=raw, fmt="xlsx")
    assert Organisation.objects.filter(pk=world.lead.pk, **hostile).exists()
