"""A small labelled programme and a deterministic embedder for the suggestion tests."""

import hashlib

import numpy as np
import pytest

from recolte.coding.models import Code
from recolte.coding.suggest import hashing_embed
from recolte.coding.tests.helpers import code
from recolte.collection.models import Resource, ResourceVersion
from recolte.corpus import engine
from recolte.corpus.models import Passage


class FakeEmbedder:
    """Char n-gram hashing vectors: no weights, near for similar texts; counts what it embeds."""

    name = "fake"
    version = "1"
    engine = "fake"
    dim = 512

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def passages(self, texts: list[str]) -> np.ndarray:
        self.embedded += texts
        return hashing_embed(list(texts), self.dim)

    def query(self, texts: list[str]) -> np.ndarray:
        return hashing_embed(list(texts), self.dim)


@pytest.fixture
def fake_embedder(monkeypatch) -> FakeEmbedder:
    fake = FakeEmbedder()
    monkeypatch.setattr(engine, "embedder", lambda: fake)
    return fake


# (key, name, parent key, kind, codable)
CODES = [
    ("eau", "Eau et assainissement", None, "section", False),
    ("eau.pompes", "Réparation des pompes manuelles", "eau", "theme", True),
    ("eau.comites", "Comités de gestion de l'eau", "eau", "theme", True),
    ("sante", "Santé", None, "section", False),
    ("sante.vaccins", "Campagnes de vaccination des enfants", "sante", "theme", True),
    ("ecole", "Éducation", None, "section", False),
    ("ecole.cantines", "Cantines scolaires", "ecole", "theme", True),
    ("ecole.maitres", "Formation des enseignants", "ecole", "theme", True),
]

LABELLED = [
    ("eau.pompes", "Le mécanicien répare la pompe manuelle cassée du forage."),
    ("eau.pompes", "Les pièces de rechange des pompes manuelles sont achetées au marché."),
    ("eau.comites", "Le comité de gestion de l'eau collecte les cotisations des familles."),
    ("eau.comites", "Les membres du comité de l'eau tiennent la caisse du point d'eau."),
    ("sante.vaccins", "L'infirmier vaccine les enfants contre la rougeole au dispensaire."),
    ("sante.vaccins", "La campagne de vaccination a touché tous les nourrissons du district."),
    ("ecole.cantines", "La cantine scolaire sert un repas chaud aux élèves à midi."),
    ("ecole.cantines", "Les parents d'élèves fournissent le mil pour la cantine de l'école."),
    ("ecole.maitres", "Les instituteurs suivent une formation pédagogique pendant les vacances."),
    ("ecole.maitres", "Les enseignants apprennent de nouvelles méthodes de lecture en formation."),
]

UNCODED = [
    "La pompe manuelle du forage est réparée par le mécanicien du village.",
    "La cantine de l'école sert du mil aux élèves.",
    "Les nourrissons sont vaccinés contre la rougeole.",
]


def make_codes(programme) -> dict[str, Code]:
    made: dict[str, Code] = {}
    for key, name, parent, kind, codable in CODES:
        made[key] = code(
            programme, key, parent=made.get(parent), name=name, kind=kind, codable=codable
        )
    return made


def make_passages(programme, texts: list[str], title: str = "Réponse") -> list[Passage]:
    """A resource whose paragraphs are corpus passages, as the corpus pipeline cuts them."""
    text = "\n\n".join(texts)
    resource = Resource.objects.create(programme=programme, title=title)
    version = ResourceVersion.objects.create(resource=resource, number=1, text=text)
    passages, start = [], 0
    for ordinal, para in enumerate(texts):
        passages.append(
            Passage.objects.create(
                programme=programme,
                resource=resource,
                first_version=version,
                version=version,
                ordinal=ordinal,
                start=start,
                end=start + len(para),
                text=para,
                text_sha256=hashlib.sha256(para.encode()).hexdigest(),
            )
        )
        start += len(para) + 2
    return passages
