"""Country reference data, name lookup, the world map and the actor network."""

import random
import time
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from django.utils import translation

from recolte.registry.countries import find_country
from recolte.registry.maps import (
    NATURE_COLOURS,
    actor_map_svg,
    actor_network,
    force_layout,
    world_map_svg,
)
from recolte.registry.models import (
    Country,
    Nature,
    Organisation,
    Partnership,
    PilotOperation,
    Programme,
)

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.django_db
def test_migration_loads_countries_and_regions():
    countries = Country.objects.filter(is_region=False)
    assert countries.count() >= 240
    assert not countries.filter(name_fr="").exists() and not countries.filter(name_en="").exists()
    senegal = Country.objects.get(pk="SN")
    assert (senegal.name_fr, senegal.name_en, senegal.continent) == ("Sénégal", "Senegal", "AF")
    assert Country.objects.get(pk="BR").continent == "AM"
    latin_america = Country.objects.get(pk="419")
    assert latin_america.is_region and latin_america.continent == "AM"
    assert {"150", "002", "142", "015", "011", "013", "005", "029"} <= set(
        Country.objects.filter(is_region=True).values_list("code", flat=True)
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Salvador", "SV"),
        ("le Salvador", "SV"),
        ("Guinée Conakry", "GN"),
        ("Guinée", "GN"),
        ("GUINEE", "GN"),
        ("Guinée-Bissau", "GW"),
        ("Guinée équatoriale", "GQ"),
        ("Vietnam", "VN"),
        ("Viêt Nam", "VN"),
        ("Tchad", "TD"),
        ("Chad", "TD"),
        ("Égypte", "EG"),
        ("l'Egypte", "EG"),
        ("Amérique latine", "419"),
        ("Afrique de l'Ouest", "011"),
        ("sn", "SN"),
        (" Sénégal ", "SN"),
        ("Burkina-Faso", "BF"),
        ("Cote d'Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("RDC", "CD"),
        ("BFA", "BF"),
        ("États-Unis", "US"),
    ],
)
def test_find_country_variants(text, code):
    country = find_country(text)
    assert country is not None and country.code == code


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["Atlantis", "", "   ", "ZZ", "Congo", "Guinée Atlantique"])
def test_find_country_refuses_unknown_or_ambiguous(text):
    assert find_country(text) is None


@pytest.mark.django_db
def test_find_country_knows_places_added_in_the_admin():
    Country.objects.create(
        code="SHL", name_fr="Sahel", name_en="Sahel", continent="AF", is_region=True
    )
    assert find_country("sahel").code == "SHL"


def _by_code(root: ET.Element) -> dict[str, list[ET.Element]]:
    shapes: dict[str, list[ET.Element]] = {}
    for el in root.iter():
        if el.get("data-code"):
            shapes.setdefault(el.get("data-code"), []).append(el)
    return shapes


@pytest.mark.django_db
def test_world_map_marks_countries_with_their_counts():
    with translation.override("en"):
        svg = world_map_svg({"SN": 5, "ML": 1, "CV": 2, "419": 2, "FR": 0}, title="Where we work")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.get("viewBox").startswith("0 0 1000 ")
    assert root.find(f"{SVG}title").text == "Where we work"
    shapes = _by_code(root)
    senegal, mali = shapes["SN"][0], shapes["ML"][0]
    assert senegal.tag == f"{SVG}path" and senegal.get("data-count") == "5"
    assert senegal.find(f"{SVG}title").text == "Senegal — 5 pilot operations"
    assert mali.find(f"{SVG}title").text == "Mali — 1 pilot operation"
    assert senegal.get("fill") != mali.get("fill")
    # Cabo Verde is too small for the 110m geometry: it is shown as a marker.
    assert [el.tag for el in shapes["CV"]] == [f"{SVG}circle"]
    region = shapes["419"][0]
    assert region.tag == f"{SVG}circle" and "region" in region.get("class")
    # France has no pilot operation: drawn, neutral, without a count.
    assert shapes["FR"][0].get("data-count") is None
    counted = {code for code, els in shapes.items() if els[0].get("data-count")}
    assert counted == {"SN", "ML", "CV", "419"}
    assert len(shapes) > 170
    legend = "".join(root.find(f"{SVG}g[@class='legend']").itertext())
    assert "Pilot operations" in legend and "region" in legend and "3–4" in legend


@pytest.mark.django_db
def test_world_map_links_and_custom_tooltip():
    svg = world_map_svg(
        {"BF": 3},
        link_for=lambda c: f"/pilots/?country={c.code}&x=1",
        describe=lambda c, n: f"{c.name_fr}: {n} documents",
    )
    root = ET.fromstring(svg)
    links = root.findall(f".//{SVG}a")
    assert [a.get("href") for a in links] == ["/pilots/?country=BF&x=1"]
    assert links[0].find(f"{SVG}path/{SVG}title").text == "Burkina Faso: 3 documents"
    assert root.get("role") == "group"  # links inside must stay reachable


@pytest.mark.django_db
def test_world_map_without_counts_is_all_neutral():
    root = ET.fromstring(world_map_svg({}))
    assert not [el for el in root.iter() if el.get("data-count")]


@pytest.fixture
def programme(db):
    prog = Programme.objects.create(slug="prog", name="Programme", start_year=2021, end_year=2024)
    other = Programme.objects.create(slug="other", name="Other", start_year=2021, end_year=2024)

    def org(name, nature, **kw):
        return Organisation.objects.create(programme=prog, name=name, nature=nature, **kw)

    prog.a = org("Alpha", Nature.NGO, acronym="ALP", is_member=True)
    prog.b = org("Beta", Nature.UNION)
    prog.c = org("Gamma", Nature.LOCAL_AUTHORITY)
    prog.d = org("Delta", Nature.RESEARCH)
    outsider = Organisation.objects.create(programme=other, name="Outsider", nature=Nature.NGO)
    p1 = PilotOperation.objects.create(programme=prog, code="p1", title="Eau", lead=prog.a)
    p2 = PilotOperation.objects.create(programme=prog, code="p2", title="Sols", lead=prog.b)
    p3 = PilotOperation.objects.create(programme=prog, code="p3", title="Semences", lead=prog.c)
    for pilot, partner in [(p1, prog.b), (p1, prog.c), (p2, prog.a), (p3, prog.c), (p3, outsider)]:
        Partnership.objects.create(pilot=pilot, organisation=partner)
    return prog


def test_actor_network_nodes_edges_and_degrees(programme):
    network = actor_network(programme, url_for=lambda o: f"/org/{o.pk}/")
    nodes = {n["label"]: n for n in network["nodes"]}
    assert set(nodes) == {"ALP", "Beta", "Gamma", "Delta"}
    degrees = {k: (n["degree"], n["pilots"]) for k, n in nodes.items()}
    assert degrees == {"ALP": (2, 2), "Beta": (1, 2), "Gamma": (1, 2), "Delta": (0, 0)}
    alpha = nodes["ALP"]
    assert (alpha["name"], alpha["nature"], alpha["is_member"]) == ("Alpha", "ngo", True)
    assert alpha["url"] == f"/org/{programme.a.pk}/"
    edges = {(e["source"], e["target"]): e for e in network["edges"]}
    ab = edges[tuple(sorted((programme.a.pk, programme.b.pk)))]
    assert ab["weight"] == 2 and sorted(ab["pilots"]) == ["Eau", "Sols"]
    ac = edges[tuple(sorted((programme.a.pk, programme.c.pk)))]
    assert ac["weight"] == 1 and ac["pilots"] == ["Eau"]
    assert len(edges) == 2  # no self-loop for Gamma, no tie to the other programme


def test_actor_map_svg_is_deterministic_and_well_formed(programme):
    network = actor_network(programme, url_for=lambda o: f"/org/{o.pk}/?a=1&b=2")
    svg = actor_map_svg(network)
    shuffled = {"nodes": network["nodes"][::-1], "edges": network["edges"][::-1]}
    assert actor_map_svg(shuffled) == svg
    root = ET.fromstring(svg)
    links = root.findall(f".//{SVG}a")
    assert sorted(int(a.get("data-org-id")) for a in links) == sorted(
        n["id"] for n in network["nodes"]
    )
    assert all(a.get("href").endswith("?a=1&b=2") for a in links)
    alpha = next(a for a in links if a.get("data-org-id") == str(programme.a.pk))
    circle = alpha.find(f"{SVG}circle")
    assert circle.get("fill") == NATURE_COLOURS[Nature.NGO]
    delta = next(a for a in links if a.get("data-org-id") == str(programme.d.pk))
    assert float(circle.get("r")) > float(delta.find(f"{SVG}circle").get("r"))
    lines = root.findall(f".//{SVG}line")
    assert len(lines) == 2 and any("Eau" in line.find(f"{SVG}title").text for line in lines)
    legend = "".join(root.find(f"{SVG}g[@class='legend']").itertext())
    assert str(Nature.UNION.label) in legend and str(Nature.FUNDER.label) not in legend


def test_actor_map_svg_without_organisations():
    root = ET.fromstring(actor_map_svg({"nodes": [], "edges": []}))
    assert root.findall(f".//{SVG}a") == [] and root.find(f"{SVG}text") is not None


def test_force_layout_keeps_groups_together():
    # Two 10-node cliques joined by a single edge.
    edges = [(i, j, 1.0) for g in (0, 10) for i in range(g, g + 10) for j in range(i + 1, g + 10)]
    edges.append((0, 10, 1.0))
    pos = force_layout(20, edges)
    assert pos.shape == (20, 2) and pos.min() >= 0 and pos.max() <= 1
    dist = np.linalg.norm(pos[:, None] - pos[None, :], axis=-1)
    within = np.mean(
        [dist[i, j] for i in range(20) for j in range(20) if i != j and i // 10 == j // 10]
    )
    across = np.mean([dist[i, j] for i in range(10) for j in range(10, 20)])
    assert within < across / 2
    assert np.array_equal(pos, force_layout(20, edges))


def test_force_layout_handles_a_hundred_nodes():
    rnd = random.Random(1)
    edges = [(rnd.randrange(100), rnd.randrange(100), 1.0) for _ in range(150)]
    started = time.perf_counter()
    pos = force_layout(100, [e for e in edges if e[0] != e[1]])
    # ~0.2 s measured on two cores; the bound only catches an accidental slow path.
    assert time.perf_counter() - started < 5
    assert np.isfinite(pos).all() and len(np.unique(pos.round(3), axis=0)) == 100
