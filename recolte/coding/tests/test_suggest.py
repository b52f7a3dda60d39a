import io
import json

import numpy as np
import pytest
from django.core.management import call_command

from recolte.coding.suggest import (
    Codebook,
    SuggestConfig,
    Suggester,
    cross_validate,
    evaluate,
    hashing_embed,
    ranking_metrics,
)
from recolte.coding.suggest.context import (
    looks_ordered,
    neighbour_blend,
    rescale_by_context,
    runs,
)

CODES = [
    {"id": "eau", "label": "Eau et assainissement", "parent": None, "kind": "section"},
    {"id": "eau.puits", "label": "Forage et entretien des puits", "parent": "eau", "kind": "theme"},
    {
        "id": "eau.puits.pompes",
        "label": "Réparation des pompes manuelles",
        "parent": "eau.puits",
        "kind": "subtheme",
    },
    {
        "id": "eau.puits.comites",
        "label": "Comités de gestion de l'eau",
        "parent": "eau.puits",
        "kind": "subtheme",
    },
    {
        "id": "eau.latrines",
        "label": "Latrines et lavage des mains",
        "parent": "eau",
        "kind": "theme",
    },
    {
        "id": "sante",
        "label": "Santé",
        "parent": None,
        "kind": "section",
        "questions": ["Comment les centres de santé ont-ils été renforcés ?"],
    },
    {
        "id": "sante.vaccins",
        "label": "Campagnes de vaccination des enfants",
        "parent": "sante",
        "kind": "theme",
    },
    {
        "id": "sante.nutrition",
        "label": "Malnutrition et repas enrichis",
        "parent": "sante",
        "kind": "theme",
    },
    {"id": "ecole", "label": "Éducation", "parent": None, "kind": "section"},
    {
        "id": "ecole.maitres",
        "label": "Formation des enseignants",
        "parent": "ecole",
        "kind": "theme",
    },
    {"id": "ecole.cantines", "label": "Cantines scolaires", "parent": "ecole", "kind": "theme"},
]

TRAIN = [
    ("eau.puits.pompes", "Le mécanicien répare la pompe manuelle cassée du forage."),
    ("eau.puits.pompes", "Les pièces de rechange des pompes manuelles sont achetées au marché."),
    ("eau.puits.comites", "Le comité de gestion de l'eau collecte les cotisations des familles."),
    ("eau.puits.comites", "Les membres du comité de l'eau tiennent la caisse du point d'eau."),
    ("eau.latrines", "Les familles construisent des latrines et se lavent les mains au savon."),
    ("sante.vaccins", "L'infirmier vaccine les enfants contre la rougeole au dispensaire."),
    ("sante.vaccins", "La campagne de vaccination a touché tous les nourrissons du district."),
    ("sante.nutrition", "Les mères préparent des bouillies enrichies contre la malnutrition."),
    ("ecole.maitres", "Les instituteurs suivent une formation pédagogique pendant les vacances."),
    ("ecole.cantines", "La cantine scolaire sert un repas chaud aux élèves à midi."),
    ("ecole.cantines", "Les parents d'élèves fournissent le mil pour la cantine de l'école."),
]


def _passages(rows):
    return [{"id": f"x{i}", "code": c, "text": t, "orgs": []} for i, (c, t) in enumerate(rows)]


@pytest.fixture
def codebook():
    return Codebook.from_data({"codes": CODES})


def test_codebook_levels(codebook):
    assert codebook.section_of("eau.puits.pompes") == "eau"
    assert codebook.theme_of("eau.puits.pompes") == "eau.puits"
    assert codebook.theme_of("sante") == "sante"  # no theme above a section: itself
    assert codebook.path_text("sante.vaccins").startswith("Santé > Campagnes")
    assert "centres de santé" in codebook.own_text("sante")


def test_unknown_parent_is_rejected():
    with pytest.raises(ValueError, match="unknown parents"):
        Codebook([{"id": "a.b", "label": "x", "parent": "a"}])


def test_supervised_ranks_obvious_code_first(codebook):
    model = Suggester(codebook, hashing_embed).fit(_passages(TRAIN))
    cases = {
        "La pompe manuelle du forage est réparée par le mécanicien du village.": (
            "eau.puits.pompes"
        ),
        "Le comité de gestion de l'eau a augmenté les cotisations.": "eau.puits.comites",
        "La cantine de l'école sert du mil aux élèves.": "ecole.cantines",
        "Les nourrissons sont vaccinés contre la rougeole.": "sante.vaccins",
    }
    for text, expected in cases.items():
        assert model.suggest(text, k=3)[0].code == expected, text
    scores = model.scores(list(cases))
    assert scores.shape == (4, len(codebook.ids))
    np.testing.assert_allclose(scores.sum(axis=1), 1.0)


def test_zero_shot_needs_no_training(codebook):
    model = Suggester(codebook, hashing_embed)
    top = model.suggest("Une campagne de vaccination des enfants dans chaque village.", k=3)
    assert top[0].code == "sante.vaccins"
    assert top[0].label == "Campagnes de vaccination des enfants"
    assert model.suggest("Formation des enseignants du primaire.")[0].code == "ecole.maitres"


def test_ranking_metrics_toy_case():
    book = Codebook(
        [
            {"id": "s1", "label": "S1", "kind": "section"},
            {"id": "s1.t1", "label": "T1", "parent": "s1", "kind": "theme"},
            {"id": "s1.t1.a", "label": "A", "parent": "s1.t1", "kind": "subtheme"},
            {"id": "s1.t1.b", "label": "B", "parent": "s1.t1", "kind": "subtheme"},
            {"id": "s2", "label": "S2", "kind": "section"},
            {"id": "s2.t2", "label": "T2", "parent": "s2", "kind": "theme"},
        ]
    )
    # columns follow book.ids: s1, s1.t1, a, b, s2, s2.t2
    scores = np.array(
        [
            [0, 0, 0.7, 0.1, 0, 0.2],  # gold a: right at every level
            [0, 0, 0.5, 0.3, 0, 0.2],  # gold b: leaf 2nd, theme/section right
            [0, 0, 0.6, 0.0, 0, 0.4],  # gold t2: 2nd at every level
        ]
    )
    m = ranking_metrics(book, scores, ["s1.t1.a", "s1.t1.b", "s2.t2"])
    assert m["leaf"]["top1"] == pytest.approx(1 / 3)
    assert m["leaf"]["top3"] == pytest.approx(1.0)
    # predicted a,a,a: F1(a) = 2·(1/3·1)/(1/3+1) = 0.5, F1(b) = F1(t2) = 0
    assert m["leaf"]["macro_f1"] == pytest.approx(0.5 / 3)
    for level in ("theme", "section"):
        assert m[level]["top1"] == pytest.approx(2 / 3)
        assert m[level]["top3"] == pytest.approx(1.0)
        # predicted t1,t1,t1 vs t1,t1,t2: F1(t1) = 0.8, F1(t2) = 0
        assert m[level]["macro_f1"] == pytest.approx(0.4)


def test_evaluate_reports_every_method_and_level(codebook):
    test = _passages(
        [
            ("eau.puits.pompes", "Le mécanicien change les pièces de la pompe manuelle."),
            ("ecole.cantines", "Un repas chaud est servi aux élèves à la cantine scolaire."),
        ]
    )
    result = evaluate(codebook, _passages(TRAIN), test, hashing_embed)
    assert result["n"] == 2
    assert set(result["levels"]) == {"leaf", "theme", "section"}
    for method in ("zero_shot", "supervised", "supervised_context", "tfidf_baseline"):
        for level in ("leaf", "theme", "section"):
            assert set(result[method][level]) == {"top1", "top3", "macro_f1"}
    assert result["supervised"]["leaf"]["top1"] == 1.0
    assert result["seconds"] >= 0


def test_cross_validate_reports_mean_and_sd(codebook):
    result = cross_validate(codebook, _passages(TRAIN), hashing_embed, folds=3, seeds=(0, 1))
    cell = result["supervised"]["section"]["top1"]
    assert set(cell) == {"mean", "sd"} and 0 <= cell["mean"] <= 1
    assert result["seeds"] == [0, 1]


def _write_jsonl(path, rows):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")


def test_command_prints_json(tmp_path):
    (tmp_path / "codebook.json").write_text(json.dumps({"codes": CODES}), "utf-8")
    _write_jsonl(tmp_path / "train.jsonl", _passages(TRAIN[:8]))
    _write_jsonl(tmp_path / "test.jsonl", _passages(TRAIN[8:]))
    common = ["--codebook", str(tmp_path / "codebook.json"), "--embedder", "hashing", "--json"]
    out = io.StringIO()
    call_command(
        "eval_autocode",
        *common,
        "--train",
        str(tmp_path / "train.jsonl"),
        "--test",
        str(tmp_path / "test.jsonl"),
        stdout=out,
    )
    held_out = json.loads(out.getvalue())
    assert held_out["n"] == 3 and "top3" in held_out["supervised"]["leaf"]
    assert held_out["calibration"]["ece"] >= 0
    out = io.StringIO()
    call_command(
        "eval_autocode",
        *common,
        "--cv",
        "2",
        "--shuffle",
        "--passages",
        str(tmp_path / "train.jsonl"),
        stdout=out,
    )
    cv = json.loads(out.getvalue())
    assert cv["folds"] == 2 and cv["shuffle"] is True
    # content alone is the headline; context is its own line
    assert {"supervised", "supervised_context", "zero_shot", "tfidf_baseline"} <= set(cv)


def test_neighbour_blend_hand_computed():
    units = np.array([[1.0, 0.0], [0.4, 0.6], [1.0, 0.0]])
    blended = neighbour_blend(units, weight=0.5, width=1)
    # middle: (0.4 + 0.5·1 + 0.5·1, 0.6) / 2; first: (1 + 0.5·0.4, 0.5·0.6) / 1.5
    np.testing.assert_allclose(blended[1], [0.7, 0.3])
    np.testing.assert_allclose(blended[0], [0.8, 0.2])
    # width 2 reaches the far end with weight 0.25: (1 + 0.2 + 0.25, 0.3) / 1.75
    np.testing.assert_allclose(neighbour_blend(units, 0.5, 2)[0], [1.45 / 1.75, 0.3 / 1.75])


def test_rescale_by_context_keeps_proportions_within_a_unit():
    member = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])  # codes a, b in unit 0; c in 1
    scores = np.array([[0.6, 0.3, 0.1], [0.1, 0.1, 0.8], [0.7, 0.2, 0.1]])
    out = rescale_by_context(scores, member, weight=0.5, width=1)
    np.testing.assert_allclose(out.sum(axis=1), 1.0)
    assert out[1, 0] / out[1, 1] == pytest.approx(1.0)  # a:b ratio untouched
    assert out[1, 2] < 0.8  # the odd one out moves toward its neighbours' unit
    np.testing.assert_array_equal(rescale_by_context(scores[:1], member, 0.5, 1), scores[:1])
    np.testing.assert_array_equal(rescale_by_context(scores, member, 0.0, 1), scores)


def test_runs_group_rows_by_document_in_order():
    groups = runs(["r1", "r2", "r1", "r2", "r1"])
    assert [g.tolist() for g in groups] == [[0, 2, 4], [1, 3]]


def test_document_context_pulls_an_ambiguous_passage_toward_its_section(codebook):
    model = Suggester(codebook, hashing_embed).fit(_passages(TRAIN))
    texts = [
        "Le mécanicien répare la pompe manuelle du forage.",
        "Le comité de gestion de l'eau collecte les cotisations.",
        "Les familles construisent des latrines.",
        "Le forage du village a besoin d'une nouvelle pompe.",
        "Le point d'eau est entretenu par le comité.",
        "La cantine scolaire sert le repas de midi aux élèves.",
        "Les instituteurs suivent une formation pédagogique.",
        "Les parents se sont réunis et ont voté.",
        "Les élèves de l'école mangent à la cantine.",
        "Les enseignants préparent la rentrée scolaire.",
        "La cantine de l'école achète du mil.",
    ]
    ecole = [i for i, c in enumerate(codebook.ids) if codebook.section_of(c) == "ecole"]
    alone = model.scores(texts)
    together = model.scores(texts, documents=["r"] * len(texts))
    assert together[7, ecole].sum() > alone[7, ecole].sum() + 0.05
    assert codebook.section_of(codebook.ids[together[7].argmax()]) == "ecole"
    # one passage per document: no neighbours, no change
    apart = model.scores(texts, documents=list(range(len(texts))))
    np.testing.assert_allclose(apart, alone)
    off = Suggester(
        codebook,
        hashing_embed,
        config=SuggestConfig(
            context_section_weight=0.0,
            context_theme_weight=0.0,
        ),
    ).fit(_passages(TRAIN))
    np.testing.assert_allclose(off.scores(texts, documents=["r"] * len(texts)), alone)


def test_context_is_skipped_when_neighbours_agree_by_chance_only():
    runs_of_two = np.repeat(np.eye(4), 3, axis=0)  # sections in runs: ordered
    assert looks_ordered(runs_of_two)
    alternating = np.tile(np.eye(2), (6, 1))  # neighbours always differ: no reading order
    assert not looks_ordered(alternating)
    assert not looks_ordered(runs_of_two[:3])  # too short to tell
