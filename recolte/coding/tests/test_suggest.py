import io
import json

import numpy as np
import pytest
from django.core.management import call_command

from recolte.coding.suggest import (
    Codebook,
    Suggester,
    cross_validate,
    evaluate,
    hashing_embed,
    ranking_metrics,
)

CODES = [
    {"id": "eau", "label": "Eau et assainissement", "parent": None, "kind": "section"},
    {"id": "eau.puits", "label": "Forage et entretien des puits", "parent": "eau", "kind": "theme"},
    {"id": "eau.puits.pompes", "label": "Réparation des pompes manuelles", "parent": "eau.puits",
     "kind": "subtheme"},
    {"id": "eau.puits.comites", "label": "Comités de gestion de l'eau", "parent": "eau.puits",
     "kind": "subtheme"},
    {"id": "eau.latrines", "label": "Latrines et lavage des mains", "parent": "eau",
     "kind": "theme"},
    {"id": "sante", "label": "Santé", "parent": None, "kind": "section",
     "questions": ["Comment les centres de santé ont-ils été renforcés ?"]},
    {"id": "sante.vaccins", "label": "Campagnes de vaccination des enfants", "parent": "sante",
     "kind": "theme"},
    {"id": "sante.nutrition", "label": "Malnutrition et repas enrichis", "parent": "sante",
     "kind": "theme"},
    {"id": "ecole", "label": "Éducation", "parent": None, "kind": "section"},
    {"id": "ecole.maitres", "label": "Formation des enseignants", "parent": "ecole",
     "kind": "theme"},
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
    book = Codebook([
        {"id": "s1", "label": "S1", "kind": "section"},
        {"id": "s1.t1", "label": "T1", "parent": "s1", "kind": "theme"},
        {"id": "s1.t1.a", "label": "A", "parent": "s1.t1", "kind": "subtheme"},
        {"id": "s1.t1.b", "label": "B", "parent": "s1.t1", "kind": "subtheme"},
        {"id": "s2", "label": "S2", "kind": "section"},
        {"id": "s2.t2", "label": "T2", "parent": "s2", "kind": "theme"},
    ])
    # columns follow book.ids: s1, s1.t1, a, b, s2, s2.t2
    scores = np.array([
        [0, 0, 0.7, 0.1, 0, 0.2],  # gold a: right at every level
        [0, 0, 0.5, 0.3, 0, 0.2],  # gold b: leaf 2nd, theme/section right
        [0, 0, 0.6, 0.0, 0, 0.4],  # gold t2: 2nd at every level
    ])
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
    test = _passages([
        ("eau.puits.pompes", "Le mécanicien change les pièces de la pompe manuelle."),
        ("ecole.cantines", "Un repas chaud est servi aux élèves à la cantine scolaire."),
    ])
    result = evaluate(codebook, _passages(TRAIN), test, hashing_embed)
    assert result["n"] == 2
    assert set(result["levels"]) == {"leaf", "theme", "section"}
    for method in ("zero_shot", "supervised", "tfidf_baseline"):
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
        "eval_autocode", *common, "--train", str(tmp_path / "train.jsonl"),
        "--test", str(tmp_path / "test.jsonl"), stdout=out,
    )
    held_out = json.loads(out.getvalue())
    assert held_out["n"] == 3 and "top3" in held_out["supervised"]["leaf"]
    out = io.StringIO()
    call_command(
        "eval_autocode", *common, "--cv", "2", "--passages", str(tmp_path / "train.jsonl"),
        stdout=out,
    )
    assert json.loads(out.getvalue())["folds"] == 2
