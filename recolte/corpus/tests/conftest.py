import hashlib

import numpy as np
import pytest

from recolte.corpus import engine
from recolte.corpus.text import WORD, fold

# Translations share a concept, so the fake engine is "multilingual" on these words.
CONCEPTS = {
    "eau": "water",
    "water": "water",
    "agua": "water",
    "puits": "well",
    "well": "well",
    "pozo": "well",
    "femmes": "women",
    "women": "women",
    "mujeres": "women",
    "ecole": "school",
    "school": "school",
    "escuela": "school",
}


class FakeEmbedder:
    """Deterministic bag-of-concepts vectors: fast, and similar texts are near."""

    name = "fake"
    version = "1"
    engine = "fake"
    dim = 384

    def __init__(self) -> None:
        self.calls = 0

    def _one(self, text: str) -> np.ndarray:
        v = np.full(self.dim, 0.01, np.float32)
        for word in WORD.findall(fold(text)):
            word = CONCEPTS.get(word, word)
            v[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
        return v / np.linalg.norm(v)

    def passages(self, texts: list[str]) -> np.ndarray:
        self.calls += len(texts)
        return np.stack([self._one(t) for t in texts]) if texts else np.zeros((0, 384))

    def query(self, texts: list[str]) -> np.ndarray:
        return self.passages(texts)

    def token_count(self, text: str) -> int:
        return len(text.split())


@pytest.fixture(autouse=True)
def fake_embedder(request, monkeypatch):
    if "real_engine" in request.keywords:
        yield None
        return
    fake = FakeEmbedder()
    monkeypatch.setattr(engine, "embedder", lambda: fake)
    yield fake
