import threading

import pytest

from recolte.corpus import pipeline
from recolte.corpus.models import Mention, Passage, PassageVector, UnknownEntity
from recolte.corpus.pipeline import process_version
from recolte.corpus.tests.helpers import add, new_version

DOC = (
    "Le puits de Ménaka\n\n"
    "Les femmes de la commune et ALPHA ont creusé un puits au Mali.\n\n"
    "Le CIRAD a suivi les travaux avec la commune de beta."
)


@pytest.fixture
def resource(world):
    return add(world, DOC, language="fr")


def live(resource):
    return list(Passage.objects.filter(resource=resource, retired_in__isnull=True))


def test_passages_offsets_language_mentions_and_vectors(world, resource):
    version = resource.current
    passages = live(resource)
    assert [p.kind for p in passages] == ["heading", "paragraph", "paragraph"]
    for p in passages:
        assert version.text[p.start : p.end] == p.text
        assert p.language == "fr"
    assert PassageVector.objects.filter(passage__in=passages).count() == 3
    mentions = {(m.surface, m.organisation_id, m.country_id) for m in Mention.objects.all()}
    assert mentions == {
        ("ALPHA", world.lead.pk, None),
        ("Mali", None, "ML"),
        ("commune de beta", world.partner.pk, None),
    }
    unknown = UnknownEntity.objects.get(programme=world.programme)
    assert (unknown.surface, unknown.count) == ("CIRAD", 1)


def test_reprocessing_is_idempotent(resource, fake_embedder):
    before = [(p.pk, p.start, p.end) for p in live(resource)]
    calls = fake_embedder.calls
    process_version(resource.current)
    assert [(p.pk, p.start, p.end) for p in live(resource)] == before
    assert fake_embedder.calls == calls  # nothing re-embedded
    assert Mention.objects.count() == 3
    assert UnknownEntity.objects.get().count == 1


def test_identity_survives_a_new_version(resource):
    old = {p.text: p.pk for p in live(resource)}
    text = "Préambule ajouté.\n\n" + DOC.replace("Le CIRAD a suivi", "Le CIRAD a observé")
    version = new_version(resource, text)
    process_version(version)
    now = live(resource)
    kept = {p.text: p.pk for p in now if p.text in old}
    assert len(kept) == 2 and all(old[t] == pk for t, pk in kept.items())
    for p in now:
        assert p.version == version and version.text[p.start : p.end] == p.text
    retired = Passage.objects.get(retired_in=version)
    assert retired.text.startswith("Le CIRAD a suivi")
    assert not PassageVector.objects.filter(passage=retired).exists()
    # An older version processed late does not undo the newer one.
    process_version(resource.versions.get(number=1))
    assert {p.pk for p in live(resource)} == {p.pk for p in now}


def test_batch_embeds_one_batch_while_the_next_is_prepared(world, fake_embedder, monkeypatch):
    monkeypatch.setattr(pipeline, "EMBED_BATCH", 1)
    threads = []
    original = fake_embedder.passages

    def passages(texts):
        threads.append(threading.current_thread())
        return original(texts)

    fake_embedder.passages = passages
    first, second = (add(world, f"Texte {n} sur les puits.", process=False) for n in range(2))
    batch = pipeline.Batch()
    assert batch.add(first.current) == []  # in flight: not stored yet
    assert batch.add(second.current) == [first.current.pk]
    assert PassageVector.objects.filter(passage__resource=first).count() == 1
    assert batch.flush() == [second.current.pk]
    assert PassageVector.objects.filter(passage__resource=second).count() == 1
    assert threads and threading.main_thread() not in threads


def test_a_batch_is_stored_while_the_next_one_embeds(world, fake_embedder, monkeypatch):
    monkeypatch.setattr(pipeline, "EMBED_BATCH", 1)
    batch = pipeline.Batch()
    next_in_flight = []
    store = pipeline.store_vectors

    def storing(passages, vectors):
        next_in_flight.append(batch.flight is not None)
        store(passages, vectors)

    monkeypatch.setattr(pipeline, "store_vectors", storing)
    for n in range(3):
        batch.add(add(world, f"Texte {n} sur les puits.", process=False).current)
    batch.flush()
    assert next_in_flight == [True, True, False]  # the last batch has no successor
    assert PassageVector.objects.filter(passage__programme=world.programme).count() == 3
