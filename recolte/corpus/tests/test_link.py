from recolte.corpus.link import Linker, damerau1
from recolte.registry.models import Nature, Organisation


def test_damerau():
    assert damerau1("UNMFREO", "UNFMREO")
    assert damerau1("GRDRX", "GRDR")
    assert not damerau1("UNMFREO", "UFNMERO")


def test_links_names_acronyms_aliases_typos_and_countries(world):
    Organisation.objects.create(
        programme=world.programme,
        name="Union nationale des maisons familiales rurales",
        acronym="UNFMREO",
        nature=Nature.NETWORK,
        aliases="Maisons familiales rurales\nMFR",
    )
    linker = Linker.for_programme(world.programme)
    text = (
        "L'UNMFREO et l'association alpha travaillent au Mali avec les maisons familiales "
        "rurales ; ALPHA aussi, mais pas l'essor ni alpha. Le CIRAD observe."
    )
    found = linker.link(text)
    got = [(f.surface, f.organisation_id or f.country_code) for f in found.mentions]
    unf = Organisation.objects.get(acronym="UNFMREO").pk
    assert got == [
        ("UNMFREO", unf),
        ("association alpha", world.lead.pk),
        ("Mali", "ML"),
        ("maisons familiales rurales", unf),
        ("ALPHA", world.lead.pk),
    ]
    assert all(text[f.start : f.end] == f.surface for f in found.mentions)
    assert found.unknown == ["CIRAD"]
