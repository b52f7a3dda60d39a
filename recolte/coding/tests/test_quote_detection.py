"""Attributed quotations found in unseen text, in every form the reference report uses."""

import json

import pytest

from recolte.coding.models import Coding, Quote
from recolte.coding.quote_detection import Names, detect_quotes, parse_attribution
from recolte.coding.selectors import quote_candidates
from recolte.coding.tests.helpers import code, version
from recolte.registry.models import Country, Organisation, Person
from recolte.shared_data import CAAC

NAMES = Names.build(
    {
        "Cap Solidarités": [],
        "GERES": [],
        "GRDR": ["Grdr-Migration Citoyenneté Développement"],
        "CGT": ["Confédération générale du travail"],
        "Banana Link": [],
        "INDECOSA-CGT": [],
        "CA-G44": ["Coopération Atlantique Guinée 44"],
        "UNMFREO": [],
        "Batik International": [],
        "CFSI": [],
    },
    {"Mali": ["ML"], "Équateur": ["Ecuador"]},
)
SAID = "« Les opérateurs économiques vont vite et cherchent des résultats concrets »"


def _one(text):
    found = detect_quotes(text, NAMES)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("after", "person", "organisations", "country"),
    [
        ("(Kalifa, GERES, Mali)", "Kalifa", ("GERES",), "Mali"),
        ("(Kalifa, GERES Mali)", "Kalifa", ("GERES",), "Mali"),
        ("(Olivier, GRDR)", "Olivier", ("GRDR",), ""),
        ("(Cap Solidarités)", "", ("Cap Solidarités",), ""),
        ("(CGT et Banana Link)", "", ("CGT", "Banana Link"), ""),
        ("(CA-G44/UNMFREO)", "", ("CA-G44", "UNMFREO"), ""),
        ("(Arnaud, INDECOSA, CGT)", "Arnaud", ("INDECOSA-CGT",), ""),
        ("(Astrid Frey, CFSI)", "Astrid Frey", ("CFSI",), ""),
        ("(grdr-migration citoyenneté développement)", "", ("GRDR",), ""),
        # an organisation the registry does not know, where the form says one stands
        ("(Gilbert, COLSIBA, Équateur)", "Gilbert", ("COLSIBA",), "Équateur"),
    ],
)
def test_attribution_forms(after, person, organisations, country):
    found = _one(f"Il le dit ainsi : {SAID} {after}. La suite du texte.")
    assert found.text == SAID.strip("« »")
    assert found.attribution.person == person
    assert found.attribution.organisations == organisations
    assert found.attribution.country == country


def test_pilot_operation_and_source():
    pilot = parse_attribution("Opération pilote – Batik International", NAMES)
    assert pilot.pilot and pilot.organisations == ("Batik International",)
    logbook = parse_attribution("CA-G44/UNMFREO Carnet de route", NAMES)
    assert logbook.organisations == ("CA-G44", "UNMFREO") and logbook.source == "carnet de route"


@pytest.mark.parametrize(
    "inner", ["SCP 2009-2013", "Voir encadré ci-dessous", "ODD 2", "p. 12", "Mali", ""]
)
def test_parentheses_that_name_no_speaker(inner):
    assert parse_attribution(inner, NAMES) is None
    assert detect_quotes(f"{SAID} ({inner})", NAMES) == []


def test_terms_in_guillemets_are_not_quotes():
    assert detect_quotes("Le « territoire à territoire » (GRDR) avance.", NAMES) == []


def test_a_quote_spanning_two_paragraphs_with_a_nested_term():
    text = (
        "Introduction.\n\n« Le « territoire à territoire » commence par les besoins locaux\n\n"
        "et apporte les savoirs élaborés dans d'autres « territoires ». (CGT et Banana Link)"
    )
    found = _one(text)
    assert found.text.startswith("Le « territoire à territoire »")
    assert found.text.endswith("dans d'autres « territoires")
    assert found.attribution.organisations == ("CGT", "Banana Link")


def test_a_quote_whose_opening_guillemet_is_missing_starts_with_its_paragraph():
    text = "Avant.\n\nIl faut contextualiser les partenariats avec les acteurs » (Gilbert, GRDR)"
    assert _one(text).text == "Il faut contextualiser les partenariats avec les acteurs"


def test_a_pull_quote_printed_without_guillemets():
    text = (
        "Un paragraphe.\n\n"
        "Il nous a paru nécessaire de rassembler avant d'aller vers les entreprises ! "
        "(Cap Solidarités)"
    )
    found = _one(text)
    assert found.text.endswith("vers les entreprises !")
    # a parenthesis inside a sentence is not an attribution
    assert detect_quotes("Le projet a réuni plusieurs villes (Cap Solidarités).", NAMES) == []


@pytest.mark.skipif(not (CAAC / "quotes_dev.jsonl").exists(), reason="reference data absent")
def test_every_attributed_quote_of_the_reference_is_found():
    programme = json.loads((CAAC / "program.json").read_text("utf-8"))
    organisations = {n["canonical"]: [n["name"]] for n in programme["members"]["listed_normalised"]}
    for acronym, name in programme["acronyms"].items():
        organisations.setdefault(acronym, []).append(name)
    for pilot in programme["pilot_operations"]:  # leads and partners are in the registry too
        for name in [pilot["lead"], *pilot["partners"]]:
            organisations.setdefault(name, [])
    names = Names.build(organisations, {"Mali": [], "Équateur": []})
    rows = (CAAC / "passages_dev.jsonl").read_text("utf-8").splitlines()
    passages = [json.loads(line) for line in rows if line.strip()]
    text = "\n\n".join(p["text"] for p in passages)  # in reading order, as one document
    found = detect_quotes(text, names)
    rows = (CAAC / "quotes_dev.jsonl").read_text("utf-8").splitlines()
    attributed = [q for q in map(json.loads, filter(None, rows)) if q.get("attribution")]
    for quote in attributed:
        match = [f for f in found if quote["text"][:30] in f.text]
        assert match and len(match[0].text) < 1.3 * len(quote["text"]) + 20, quote["id"]
        gold = quote["attribution"]
        assert (match[0].attribution.person or None) == gold["person"], quote["id"]
    assert len(found) == len(attributed)  # and nothing else


def test_candidates_are_linked_to_the_registry(world):
    programme = world.programme
    grdr = Organisation.objects.create(programme=programme, name="GRDR")
    olivier = Person.objects.create(organisation=grdr, first_name="Olivier", last_name="Martin")
    mali = Country.objects.get(name_fr="Mali")
    text = (
        f"{SAID} (Olivier, GRDR, Mali)\n\n"
        "« Il n'y a d'enjeux partagés que si deux territoires se posent la même question » (GRDR)"
    )
    v = version(programme, text)
    first, second = quote_candidates(v)
    assert first.person == olivier and first.organisations == [grdr] and first.country == mali
    assert second.person is None and second.organisations == [grdr]
    # a quotation already kept as a quote is not proposed again
    coding = Coding.objects.create(
        version=v, start=first.start, end=first.end, code=code(programme, "c")
    )
    Quote.objects.create(coding=coding)
    assert [c.text for c in quote_candidates(v)] == [second.text]
