import pytest

from recolte.collection.models import Confidentiality
from recolte.corpus.models import Passage
from recolte.corpus.retrieval import fuse, tuning
from recolte.corpus.search import Filters, highlight, passages_search, similar_passages
from recolte.corpus.tests.helpers import add


def search(world, query, role="facilitator", **kw):
    return passages_search(user=world.users[role], programme=world.programme, query=query, **kw)


@pytest.fixture
def corpus(world):
    add(
        world,
        "À Ménaka, les femmes gèrent le puits et l'eau du village.",
        language="fr",
        organisations=[world.lead],
        confidentiality=Confidentiality.PUBLISHED,
    )
    add(
        world,
        "In the district, women manage the water point and the well.",
        language="en",
        organisations=[world.partner],
        confidentiality=Confidentiality.PROGRAMME,
    )
    add(
        world,
        "La commune a financé une école avec ALPHA.",
        organisations=[world.partner],
        confidentiality=Confidentiality.PROGRAMME,
    )
    add(world, "Le marché aux bestiaux ouvre le lundi.", confidentiality="published")
    return world


def test_accent_insensitive_full_text_and_highlight(corpus):
    results = search(corpus, "menaka", mode="bm25")
    assert len(results.hits) == 1
    assert "<mark>Ménaka</mark>" in results.hits[0].highlighted
    assert results.hits[0].url.endswith(f"#p-{results.hits[0].passage.pk}")


def test_highlight_escapes_html():
    html = highlight("<b>Ménaka</b> & co", ["menaka"])
    assert html == "&lt;b&gt;<mark>Ménaka</mark>&lt;/b&gt; &amp; co"


def test_cross_lingual_vector_search(corpus):
    results = search(corpus, "eau puits femmes", mode="vector", limit=2)
    languages = {h.passage.language for h in results.hits}
    assert languages == {"fr", "en"}


def test_hybrid_fuses_both_rankings(corpus):
    results = search(corpus, "puits Ménaka")
    assert results.hits[0].passage.text.startswith("À Ménaka")
    assert set(results.hits[0].parts) == {"bm25", "vector"}
    # Found by meaning alone: apart, not counted among the passages with the words.
    assert all("bm25" in h.parts for h in results.hits)
    assert results.related and all(set(h.parts) == {"vector"} for h in results.related)
    assert results.total == 1


def test_hybrid_vector_side_searches_near_the_best_full_text_hits(corpus):
    herd = "Troupeaux vendus au marché chaque lundi."  # no query word, the top hit's subject
    add(corpus, herd, confidentiality="published")
    plain = {h.passage.text: h.parts for h in search(corpus, "bestiaux", mode="vector").hits}
    hybrid = search(corpus, "bestiaux")
    assert hybrid.hits[0].passage.text.startswith("Le marché aux bestiaux")
    widened = {h.passage.text: h.parts for h in hybrid.related}[herd]["vector"]
    assert widened["rank"] == 2
    assert widened["score"] > plain[herd]["vector"]["score"] + 0.1


def test_sql_full_text_candidates_come_from_rare_terms_and_rank_on_all(world, monkeypatch):
    monkeypatch.setattr(tuning, "MEMFTS_MAX_ROWS", 0)  # a programme too large to rank in memory
    monkeypatch.setattr(tuning, "SQLITE_BUDGET_ROWS", 1)
    monkeypatch.setattr(tuning, "PG_BUDGET_ROWS", 1)
    texts = ("La pompe du village.", "La pompe neuve.", "Le village.", "Au village, au village.")
    for text in texts:
        add(world, text, confidentiality="published")

    def found(query):
        return [h.passage.text for h in search(world, query, mode="bm25").hits]

    # "pompe" (2 passages) finds; "village" (3) would exceed the budget, but still ranks.
    assert found("pompe village") == ["La pompe du village.", "La pompe neuve."]
    # A word found nowhere does not leave the query without candidates.
    assert set(found("zzzinconnu village")) == {
        "La pompe du village.",
        "Le village.",
        "Au village, au village.",
    }


def test_fuse_weighted_rrf():
    fused = fuse({"bm25": [(1, 9.0), (2, 5.0)], "vector": [(2, 0.9), (3, 0.8)]}, k=60)
    assert [pk for pk, _, _ in fused] == [2, 1, 3]
    weighted = fuse({"bm25": [(1, 9.0), (2, 5.0)], "vector": [(2, 0.9), (3, 0.8)]}, {"bm25": 3})
    assert weighted[0][0] == 2 and weighted[1][0] == 1


# Each way a selection reaches the indexes: as the code chooses (in memory); a programme too
# large for memory, whose selection is always sent to the database (and, on PostgreSQL, to
# pgvector), or always applied to the best matches the database returns.
PATHS = {
    "chosen": {},
    "sent": {
        (tuning, "OVERSAMPLE_MAX"): 0,
        (tuning, "MEMVEC_MAX_ROWS"): 0,
        (tuning, "MEMFTS_MAX_ROWS"): 0,
    },
    "read": {
        (tuning, "OVERSAMPLE_MAX"): 10**9,
        (tuning, "SQLITE_NARROW"): -1,
        (tuning, "MEMFTS_MAX_ROWS"): 0,
    },
}


@pytest.mark.parametrize("path", PATHS)
def test_filters(corpus, monkeypatch, path):
    for (module, name), value in PATHS[path].items():
        monkeypatch.setattr(module, name, value)

    def texts(**kw):
        found = search(corpus, "puits eau école marché", filters=Filters(**kw))
        return {h.passage.text[:10] for h in found.hits + found.related}

    assert texts(language="en") == {"In the dis"}
    assert texts(organisation=corpus.lead.pk) == {"À Ménaka, ", "La commune"}  # author or mention
    assert texts(country="ML", language="fr") == set()
    assert texts(confidentiality="published") == {"À Ménaka, ", "Le marché "}
    assert texts(nature="local_authority") == {"In the dis", "La commune"}


def test_access_rule_contributor_and_reader(corpus):
    found = search(corpus, "puits eau école marché", "contributor")
    contributor = {h.passage.text[:10] for h in found.hits + found.related}
    assert contributor == {"À Ménaka, ", "Le marché "}  # published + own (ALPHA's) only
    found = search(corpus, "water women well", "reader")
    reader = {h.passage.text[:10] for h in found.hits + found.related}
    assert "In the dis" not in reader
    hidden = Passage.objects.get(text__startswith="In the")
    mine = Passage.objects.get(text__startswith="À Ménaka")
    assert hidden.pk not in {
        h.passage.pk for h in similar_passages(mine, corpus.users["contributor"], 5)
    }
    assert hidden.pk in {
        h.passage.pk for h in similar_passages(mine, corpus.users["facilitator"], 5)
    }
