"""The search engine's room: bounded per-programme caches, reset, lazy threads, tokens, the
access rule asked through the policy's branches, HNSW settings kept to their transaction, and
migrations that do not import the live engine."""

import ast
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection

from recolte.access.policy import visible_material, visible_material_branches
from recolte.collection.models import Confidentiality, Resource
from recolte.corpus import pipeline, retrieval, search
from recolte.corpus.models import IndexState
from recolte.corpus.retrieval import caches, memfts, passage_facts, ranking, tuning
from recolte.corpus.tests.helpers import add
from recolte.testing import make_world


def find(world, query, mode="bm25"):
    user = world.users["facilitator"]
    hits = search.passages_search(user=user, programme=world.programme, query=query, mode=mode)
    return [h.passage.text for h in hits.hits]


class _Value:
    def __init__(self, token: str) -> None:
        self.token = token


def test_cache_evicts_the_least_recently_used_programme_whole(monkeypatch):
    monkeypatch.setattr(tuning, "CACHED_PROGRAMMES", 2)
    cache = caches.ProgrammeCache()
    cache.put(1, _Value("a"))
    cache.put(2, _Value("b"))
    assert cache.get(1, "a").token == "a"  # 1 is now the most recently used
    assert cache.get(1, "stale") is None  # another token: rebuild
    cache.put(3, _Value("c"))
    assert cache.get(2) is None and cache.get(1) and cache.get(3) and len(cache) == 2


def test_search_caches_hold_at_most_the_bound_of_programmes(world, monkeypatch):
    monkeypatch.setattr(tuning, "CACHED_PROGRAMMES", 1)
    other = make_world("second")
    add(world, "La pompe du village.", confidentiality="published")
    add(other, "Le puits du hameau.", confidentiality="published")
    assert find(world, "pompe") == ["La pompe du village."]
    assert find(other, "puits") == ["Le puits du hameau."]
    assert len(memfts._cache) == len(passage_facts._cache) == 1
    assert find(world, "pompe") == ["La pompe du village."]  # evicted, loaded again


def test_each_programme_has_its_own_word_index(world):
    other = make_world("second")
    add(world, "La pompe du village.", confidentiality="published")
    add(other, "Le puits du hameau.", confidentiality="published")
    find(world, "pompe")
    find(other, "puits")
    words = memfts._cache.get(world.programme.pk).vocabulary
    assert "pompe" in words and "puits" not in words
    assert "pompe" not in memfts._cache.get(other.programme.pk).vocabulary


def test_reset_forgets_every_programme(world):
    add(world, "La pompe du village.", confidentiality="published")
    find(world, "pompe", mode="hybrid")
    assert len(memfts._cache) and ranking._cached_embedding.cache_info().currsize
    retrieval.reset()
    assert not len(memfts._cache) and not len(passage_facts._cache)
    assert not ranking._cached_embedding.cache_info().currsize


@pytest.mark.parametrize("module", [search, ranking, pipeline])
def test_no_thread_pool_is_created_at_import(module):
    assert not [v for v in vars(module).values() if isinstance(v, ThreadPoolExecutor)]


def test_tokens_passages_and_vectors_are_bumped_apart(world):
    programme = world.programme.pk
    retrieval.invalidate(programme)
    before = IndexState.objects.get(programme=programme)
    retrieval.vectors_changed(programme)
    after = IndexState.objects.get(programme=programme)
    assert after.vectors_token != before.vectors_token
    assert after.passages_token == before.passages_token
    retrieval.invalidate(programme)
    again = IndexState.objects.get(programme=programme)
    assert again.passages_token != after.passages_token
    assert again.vectors_token == after.vectors_token


def test_policy_branches_are_its_rule_without_or_inside(world):
    for level in Confidentiality.values:
        Resource.objects.create(programme=world.programme, title=level, confidentiality=level)
        mine = Resource.objects.create(
            programme=world.programme, title=f"{level} lead", confidentiality=level
        )
        mine.organisations.set([world.lead])
    programme = world.programme
    everything = set(Resource.objects.filter(programme=programme))
    for role, user in world.users.items():
        branches = visible_material_branches(user, programme)
        assert all("OR" not in str(q) for q in branches), role
        united = set().union(*(set(everything & set(Resource.objects.filter(q))) for q in branches))
        rule = everything & set(Resource.objects.filter(visible_material(user, programme)))
        assert (united if branches else everything) == rule, role


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pgvector's HNSW settings")
def test_hnsw_settings_do_not_outlive_the_query(transactional_db, monkeypatch):
    world = make_world()
    add(world, "Les femmes gèrent le puits.", confidentiality="published")
    monkeypatch.setattr(tuning, "MEMVEC_MAX_ROWS", 0)  # HNSW serves the vector side
    assert find(world, "puits", mode="vector") == ["Les femmes gèrent le puits."]
    with connection.cursor() as cursor:
        cursor.execute("SHOW hnsw.ef_search")
        assert cursor.fetchone()[0] == str(tuning.HNSW_EF_SEARCH_MIN)  # pgvector's default
        cursor.execute("SHOW hnsw.iterative_scan")
        assert cursor.fetchone()[0] == "off"


def test_migrations_do_not_import_the_live_code():
    """A migration must produce the same schema whatever the code becomes."""
    folder = Path(pipeline.__file__).parent / "migrations"
    for path in folder.glob("0*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("recolte"), path.name
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("recolte") for a in node.names), path.name
