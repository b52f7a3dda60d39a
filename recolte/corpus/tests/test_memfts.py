import threading

import pytest
from django.db import connection

from recolte.corpus.models import Passage
from recolte.corpus.pipeline import process_version
from recolte.corpus.retrieval import memfts, tuning
from recolte.corpus.search import passages_search, selection
from recolte.corpus.tests.helpers import add, new_version
from recolte.testing import make_world

TEXTS = (
    "La pompe du village est en panne depuis la saison sèche.",
    "Au village, au village, on répare la pompe.",
    "Le comité de gestion de l'eau se réunit au village chaque mois.",
    "Les femmes du comité tiennent les comptes de la pompe.",
    "Une école a ouvert ses portes.",
)


def ranked(world, query, mode="bm25"):
    found = passages_search(
        user=world.users["facilitator"], programme=world.programme, query=query, mode=mode
    )
    return [(h.passage.text, h.parts["bm25"]["score"]) for h in found.hits]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5's bm25() is the reference")
def test_scores_are_fts5_bm25_over_every_match(world, monkeypatch):
    for text in TEXTS:
        add(world, text, confidentiality="published")
    monkeypatch.setattr(tuning, "SQLITE_BUDGET_ROWS", 10**6)  # the database ranks every match
    for query in ("pompe village", "comité eau", "ÉCOLE", "village"):
        in_memory = ranked(world, query)
        monkeypatch.setattr(tuning, "MEMFTS_MAX_ROWS", 0)
        in_sql = ranked(world, query)
        monkeypatch.setattr(tuning, "MEMFTS_MAX_ROWS", 10**6)
        assert [t for t, _ in in_memory] == [t for t, _ in in_sql]
        assert [s for _, s in in_memory] == pytest.approx([s for _, s in in_sql], rel=1e-4)


def test_ranks_on_every_term_accents_and_case_folded(world):
    for text in TEXTS:
        add(world, text, confidentiality="published")
    found = [t for t, _ in ranked(world, "POMPE villages seche")]
    assert found[0].startswith("La pompe du village est en panne")  # the only one with 3 terms
    assert set(found) == {TEXTS[0], TEXTS[1], TEXTS[3]}  # "villages" is not "village"
    assert ranked(world, "zzzinconnu") == []


def test_a_new_token_reads_only_the_passages_not_yet_held(world, monkeypatch):
    first = add(world, TEXTS[0], confidentiality="published")
    for text in TEXTS[1:3]:
        add(world, text, confidentiality="published")
    assert len(ranked(world, "pompe")) == 2
    read = []
    texts = memfts._texts
    monkeypatch.setattr(memfts, "_texts", lambda *a: read.extend(a[1].tolist()) or texts(*a))
    renewed = "La pompe neuve tourne. " + TEXTS[4]
    process_version(new_version(first, renewed))
    assert {t for t, _ in ranked(world, "pompe")} == {TEXTS[1], renewed}
    added = Passage.objects.filter(resource=first, retired_in__isnull=True)
    assert sorted(read) == sorted(added.values_list("pk", flat=True))
    assert ranked(world, "panne") == []  # the retired passage's words went with it


def test_large_programmes_are_built_in_the_background_meanwhile_sql_ranks(
    transactional_db, monkeypatch
):
    world = make_world()  # committed: the build thread reads through its own connection
    for text in TEXTS:
        add(world, text, confidentiality="published")
    monkeypatch.setattr(tuning, "MEMFTS_SYNC_ROWS", 2)
    release, rebuild = threading.Event(), memfts._rebuild
    monkeypatch.setattr(memfts, "_rebuild", lambda *a: release.wait(10) and rebuild(*a))
    chosen = selection(world.users["facilitator"], world.programme, None)
    assert memfts.search(chosen, ["pompe"], 10) is None  # building
    pumps = {TEXTS[0], TEXTS[1], TEXTS[3]}
    assert {t for t, _ in ranked(world, "pompe")} == pumps  # the database ranks meanwhile
    assert list(memfts._builds) == [world.programme.pk]  # one build, not one per search
    release.set()
    memfts.wait(world.programme.pk)
    found = memfts.search(chosen, ["pompe"], 10)
    assert {Passage.objects.get(pk=pk).text for pk, _ in found} == pumps


def test_the_selection_mask_applies_to_the_rows(world):
    add(world, TEXTS[0], confidentiality="published", organisations=[world.lead])
    add(world, TEXTS[1], confidentiality="programme", organisations=[world.partner])
    chosen = selection(world.users["contributor"], world.programme, None)
    assert memfts.serves(chosen) and chosen.restricted
    found = memfts.search(chosen, ["pompe"], 10)
    assert [Passage.objects.get(pk=pk).text for pk, _ in found] == [TEXTS[0]]
