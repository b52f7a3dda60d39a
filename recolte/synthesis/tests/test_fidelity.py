"""Fidelity on the reference data: the labelled dev set imported, then the report generated."""

import io
import json

import pytest
from django.core.management import call_command
from docx import Document
from pypdf import PdfReader

from recolte.coding.models import Coding, Quote
from recolte.collection.models import Resource
from recolte.registry.exchange import registry_import
from recolte.shared_data import CAAC
from recolte.synthesis.assemble import build_report
from recolte.synthesis.labelled import import_labelled, read_passages
from recolte.synthesis.report import render
from recolte.synthesis.report.typography import NBSP

# CI lays shared/ beside the clone.

LABELS = {"carnet_de_route": "Carnet de route", "reunion_in_situ": "Réunion in situ"}


@pytest.fixture
def caac(db):
    registry_import(data=CAAC / "program.json", fmt="caac")
    outcome = import_labelled(
        codebook_path=CAAC / "codebook.json", passages_path=CAAC / "passages_dev.jsonl", slug="caac"
    )
    return outcome


def _passages():
    return read_passages(CAAC / "passages_dev.jsonl")


def test_import_creates_coded_resources_and_is_idempotent(caac):
    passages = _passages()
    boxes = {p["box"]["id"] for p in passages if p.get("box")}
    assert caac.codings == len(passages)
    assert caac.boxes == len(boxes)
    assert Resource.objects.filter(programme=caac.programme, kind="box").count() == len(boxes)
    assert Quote.objects.count() == sum(1 for p in passages if p["attribution"])
    logbooks = Resource.objects.filter(programme=caac.programme, instrument="field_logbook")
    assert logbooks.exists() and all(r.kind == "box" for r in logbooks)
    again = import_labelled(
        codebook_path=CAAC / "codebook.json", passages_path=CAAC / "passages_dev.jsonl", slug="caac"
    )
    assert (again.resources, again.codings) == (0, 0)
    assert Coding.objects.count() == len(passages)


def test_report_keeps_codebook_order_quotes_and_boxes(caac):
    report = build_report(caac.programme)
    walked = [node for node, _anchor in report.walk()]
    keys = [n.key for n in walked]
    book = [c["id"] for c in json.loads((CAAC / "codebook.json").read_text())["codes"]]
    with_passages = [k for k in book if any(p["code"] == k for p in _passages())]
    assert [k for k in keys if k in with_passages] == with_passages
    by_key = {n.key: n for n in walked}
    for p in _passages():
        if p["attribution"]:
            node = by_key[p["code"]]
            a = p["attribution"]
            found = [q for q in node.quotes if q.text[:40] in " ".join(p["text"].split())]
            assert found, p["id"]
            label = found[0].attribution_label()
            assert a["org"].split(" / ")[0] in label
            for piece in (a.get("person"), a.get("country")):
                assert not piece or piece in label
        if p.get("box") and p["instrument"]:
            boxes = [b for b in by_key[p["code"]].boxes if b.title == p["box"]["title"]]
            assert boxes and boxes[0].label == LABELS[p["instrument"]], p["id"]


def test_pseudonymisation_at_export(caac):
    quotes = {n.key: n.quotes for n, _a in build_report(caac.programme, pseudonymise="none").walk()}
    labels = [q.attribution_label() for qs in quotes.values() for q in qs]
    assert labels and not any("Gilbert" in label for label in labels)
    assert any(label == "COLSIBA, Équateur" for label in labels)
    Quote.objects.filter(person_name="Gilbert").update(consent="refused")
    labels = [
        q.attribution_label() for n, _a in build_report(caac.programme).walk() for q in n.quotes
    ]
    assert "Olivier, GRDR" in labels and not any("Gilbert" in label for label in labels)


def test_rendered_formats_read_as_a_french_report(caac, tmp_path):
    call_command(
        "report",
        "--programme",
        "caac",
        "--format",
        "md",
        "--out",
        str(tmp_path / "r.md"),
        stdout=io.StringIO(),
    )
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "Réunion in situ" in md and f"(Ex.{NBSP}:" in md and "« " not in md
    docx = Document(io.BytesIO(render(build_report(caac.programme), "docx")))
    headings = [p.text for p in docx.paragraphs if p.style.name.startswith("Heading")]
    assert any("Coopérer et nouer des partenariats" in h for h in headings)


def test_pdf_renders(caac):
    pdf = PdfReader(io.BytesIO(render(build_report(caac.programme), "pdf")))
    text = "\n".join(page.extract_text() for page in pdf.pages[:8])
    assert len(pdf.pages) > 20 and "Sommaire" in text
