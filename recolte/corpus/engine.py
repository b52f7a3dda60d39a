"""The one place the corpus gets its embedding engine (tests swap it for a fake)."""

from recolte.corpus.embeddings import Embedder, get_embedder


def embedder() -> Embedder:
    return get_embedder()
