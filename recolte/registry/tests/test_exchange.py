"""Registry import/export: formats, every-problem validation, idempotence, round trips, CLI."""

import copy
import json
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from recolte.registry.exchange import RegistryImportError, registry_export, registry_import
from recolte.registry.exchange.caac import infer_nature
from recolte.registry.models import (
    Country,
    Nature,
    Organisation,
    Partnership,
    Person,
    PilotOperation,
    Programme,
)
from recolte.shared_data import CAAC

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo_programme.json"
PLACES = {
    "FR": ("France", "France", "EU"),
    "GN": ("Guinée", "Guinea", "AF"),
    "ML": ("Mali", "Mali", "AF"),
    "TD": ("Tchad", "Chad", "AF"),
    "VN": ("Vietnam", "Vietnam", "AS"),
    "SV": ("El Salvador", "El Salvador", "AM"),
    "EG": ("Égypte", "Egypt", "AF"),
    "MA": ("Maroc", "Morocco", "AF"),
    "TN": ("Tunisie", "Tunisia", "AF"),
    "GB": ("Royaume-Uni", "United Kingdom", "EU"),
    "GP": ("Guadeloupe", "Guadeloupe", "AM"),
    "419": ("Amérique latine et Caraïbes", "Latin America and the Caribbean", "AM"),
}
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def countries():
    """The places used here; the countries migration normally provides them already."""
    for code, (fr, en, continent) in PLACES.items():
        Country.objects.get_or_create(
            code=code,
            defaults={
                "name_fr": fr,
                "name_en": en,
                "continent": continent,
                "is_region": code == "419",
            },
        )


def demo() -> dict:
    return json.loads(DEMO.read_text(encoding="utf-8"))


def problems_of(data, fmt=None) -> set[tuple]:
    with pytest.raises(RegistryImportError) as caught:
        registry_import(data=data, fmt=fmt)
    return {(p.sheet, p.line, p.field) for p in caught.value.problems}


def test_demo_file_imports_cleanly_and_twice_without_duplicates():
    report = registry_import(data=DEMO)
    assert report.created["pilot_operations"] == 9
    assert report.created["axes"] == 5
    programme = Programme.objects.get(slug="caac")
    assert (programme.start_year, programme.end_year, programme.budget) == (2014, 2018, 1700000)
    assert Organisation.objects.filter(is_member=True).count() == 23
    assert Organisation.objects.get(acronym="CGT").nature == Nature.UNION
    assert Organisation.objects.get(acronym="CFSI").nature == Nature.FUNDER
    chad = {o.acronym for o in Organisation.objects.filter(country="TD")}
    assert {"ONAPE", "FONAP", "FONAJ"} <= chad
    banana = PilotOperation.objects.get(lead__acronym="CGT")
    assert {link.organisation.label for link in banana.partnerships.all()} == {
        "Banana Link",
        "CGTG",
        "COLSIBA",
        "INDECOSA-CGT",
    }
    assert {c.code for c in banana.countries.all()} == {"419", "FR"}
    stakes = set(PilotOperation.objects.values_list("shared_stake", flat=True))
    assert len(stakes) == 3
    assert Person.objects.count() == report.created["people"] > 50
    tables = (Organisation, Person, PilotOperation, Partnership)
    counts = [m.objects.count() for m in tables]
    again = registry_import(data=DEMO)
    assert not again.created and not again.updated
    assert [m.objects.count() for m in tables] == counts


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_round_trip_into_an_empty_database(fmt):
    registry_import(data=DEMO)
    original = registry_export(programme="caac", fmt="json")
    exported = registry_export(programme="caac", fmt=fmt)
    PilotOperation.objects.all().delete()  # the lead foreign key protects organisations
    Programme.objects.all().delete()
    assert not Organisation.objects.exists()
    registry_import(data=exported)
    assert registry_export(programme="caac", fmt="json") == original
    assert json.loads(original)["programme"]["budget"] == 1700000


def test_re_import_updates_in_place_and_replaces_pilot_links():
    registry_import(data=DEMO)
    doc = demo()
    doc["organisations"][0]["description"] = "Nouvelle description."
    spf = next(p for p in doc["pilot_operations"] if p["lead"] == "SPF")
    spf["partners"] = []
    spf["countries"] = ["SV"]
    report = registry_import(data=doc)
    assert report.updated["organisations"] == 1
    assert report.updated["pilot_operations"] == 1
    assert report.created["organisations"] == 0
    pilot = PilotOperation.objects.get(code=spf["code"])
    assert not pilot.partnerships.exists()
    assert [c.code for c in pilot.countries.all()] == ["SV"]
    assert Organisation.objects.get(acronym="ADESAF").description == "Nouvelle description."


def broken_document() -> dict:
    doc = demo()
    orgs, pilots = doc["organisations"], doc["pilot_operations"]
    orgs[0]["nature"] = "charity"  # organisations:1 unknown nature
    orgs[1]["acronym"] = "CGT"  # organisations:7 duplicate acronym
    orgs[3]["name"] = orgs[2]["name"]  # organisations:4 duplicate name
    orgs[4]["country"] = "Atlantide"  # organisations:5 unknown country
    orgs[5]["name"] = ""  # organisations:6 missing name
    del pilots[0]["lead"]  # pilot_operations:1 no lead
    pilots[1]["lead"] = "Nobody"  # pilot_operations:2 lead not found
    pilots[2]["partners"][0]["organisation"] = "Ghost"  # pilot_operations:3 partner not found
    pilots[3]["code"] = pilots[4]["code"]  # pilot_operations:5 duplicate code
    pilots[5]["axes"] = ["programme:9"]  # pilot_operations:6 bad axis
    pilots[6]["start_year"] = 2019  # pilot_operations:7 bad year range
    doc["people"][0]["first_name"] = ""  # people:1 missing field
    doc["programme"]["start_year"] = "soon"
    return doc


def test_every_problem_is_reported_with_its_location_and_nothing_is_written():
    found = problems_of(broken_document())
    assert {
        ("organisations", 1, "nature"),
        ("organisations", 7, "acronym"),
        ("organisations", 4, "name"),
        ("organisations", 5, "country"),
        ("organisations", 6, "name"),
        ("pilot_operations", 1, "lead"),
        ("pilot_operations", 2, "lead"),
        ("pilot_operations", 3, "partners[1].organisation"),
        ("pilot_operations", 5, "code"),
        ("pilot_operations", 6, "axes"),
        ("pilot_operations", 7, "end_year"),
        ("people", 1, "first_name"),
        ("programme", None, "start_year"),
    } <= found
    assert not Programme.objects.exists()
    assert not Organisation.objects.exists()


def test_a_failed_re_import_leaves_existing_data_untouched():
    registry_import(data=DEMO)
    doc = demo()
    doc["organisations"][0]["description"] = "Changed."
    doc["pilot_operations"][0]["lead"] = "Nobody"
    problems_of(doc)
    assert Organisation.objects.get(acronym="ADESAF").description != "Changed."


def test_problems_point_at_workbook_rows():
    registry_import(data=DEMO)
    book = load_workbook(BytesIO(registry_export(programme="caac", fmt="xlsx")))
    book["organisations"]["C3"] = "charity"
    book["partners"].append(["no-such-pilot", "CGT", ""])
    del book["axes"]
    out = BytesIO()
    book.save(out)
    found = problems_of(out.getvalue())
    last = book["partners"].max_row
    assert ("organisations", 3, "nature") in found
    assert ("partners", last, "pilot_code") in found
    assert ("axes", None, "") in found


def test_malformed_files_are_refused(tmp_path):
    assert problems_of(b"{not json") == {("file", 1, "")}
    assert problems_of(b"{}", fmt="xlsx") == {("file", None, "")}
    missing = tmp_path / "missing.json"
    assert problems_of(missing) == {("file", None, "")}
    assert ("file", None, "format") in problems_of({"programme": {}})


def test_problem_messages_read_as_sheet_line_field_message():
    doc = demo()
    doc["organisations"][0]["nature"] = "charity"
    # Messages are written in the language active when the file is checked.
    with translation.override("en"), pytest.raises(RegistryImportError) as caught:
        registry_import(data=doc)
    assert str(caught.value.problems[0]).startswith("organisations:1:nature: Unknown nature")


@pytest.mark.parametrize(
    ("name", "nature"),
    [
        ("Confédération Générale du Travail de la Guadeloupe", Nature.UNION),
        ("SNETAP-FSU", Nature.UNION),
        ("INDECOSA (Association des Consommateurs de la CGT)", Nature.CONSUMERS),
        ("la commune de Konséguéla", Nature.LOCAL_AUTHORITY),
        ("Conseil Régional Hauts-de-France", Nature.LOCAL_AUTHORITY),
        ("Intercollectivité de Kindia", Nature.LOCAL_AUTHORITY),
        ("Office National pour la Promotion de l'Emploi", Nature.PUBLIC_AGENCY),
        ("Fonds National d'Appui à la Jeunesse", Nature.PUBLIC_AGENCY),
        ("Coopérative « Canasta campesina »", Nature.COOPERATIVE),
        ("Fédérations des Maisons Familiales Rurales de Sarthe et de Mayenne", Nature.TRAINING),
        ("Fédération Artisans du Monde", Nature.NETWORK),
        ("Acteurs pour une Économie Solidaire", Nature.SOCIAL_ECONOMY),
        ("Banana Link", Nature.NGO),
        ("ESSOR", Nature.NGO),
    ],
)
def test_infer_nature(name, nature):
    assert infer_nature(name) == nature


def test_reference_programme_file_imports():
    path = CAAC / "program.json"
    report = registry_import(data=path)
    programme = report.programme
    assert (programme.acronym, programme.start_year, programme.end_year) == ("CAAC", 2014, 2018)
    assert programme.axes.filter(kind="programme").count() == 2
    assert programme.axes.filter(kind="capitalisation").count() == 3
    pilots = programme.pilot_operations.all()
    assert pilots.count() == 9
    assert programme.organisations.filter(is_member=True).count() == 23
    codes = set(Country.objects.filter(pilotoperation__in=pilots).values_list("code", flat=True))
    assert {"GN", "ML", "TD", "VN", "SV", "EG", "MA", "TN", "FR", "419"} <= codes
    continents = Country.objects.filter(pilotoperation__in=pilots).values("continent").distinct()
    assert continents.count() == 4
    essor = pilots.get(lead__acronym="ESSOR")
    assert {"ONAPE", "FONAP", "FONAJ"} <= {p.organisation.acronym for p in essor.partnerships.all()}
    gret = pilots.get(lead__acronym="GRET")
    assert gret.partnerships.filter(organisation__acronym="CGT", organisation__is_member=True)
    assert registry_import(data=path, fmt="caac").created.total() == 0


def test_cli_import_and_export(tmp_path):
    out = StringIO()
    call_command("registry", "import", str(DEMO), stdout=out)
    assert "pilot_operations: 9 created" in out.getvalue()
    out = StringIO()
    call_command("registry", "export", "--programme", "caac", stdout=out)
    assert json.loads(out.getvalue())["programme"]["slug"] == "caac"
    target = tmp_path / "caac.xlsx"
    call_command(
        "registry",
        "export",
        "--programme",
        "caac",
        "--format",
        "xlsx",
        "--out",
        str(target),
        stdout=StringIO(),
    )
    assert load_workbook(target).sheetnames[:2] == ["programme", "axes"]


def test_cli_import_lists_problems_and_fails(tmp_path):
    bad = tmp_path / "bad.json"
    doc = copy.deepcopy(broken_document())
    bad.write_text(json.dumps(doc), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError) as caught, translation.override("en"):
        call_command("registry", "import", str(bad), stderr=err)
    assert caught.value.returncode == 1
    assert "organisations:1:nature: Unknown nature charity" in err.getvalue()
    assert "pilot_operations:1:lead: A pilot operation needs a lead organisation." in err.getvalue()
    assert not Programme.objects.exists()
