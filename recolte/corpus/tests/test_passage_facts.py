"""The in-memory selection (passage facts) must always equal its SQL twin (allowed_passages)."""

from datetime import date

import numpy as np
import pytest

from recolte.collection.models import Campaign, Confidentiality, Resource
from recolte.corpus.models import Mention, Passage
from recolte.corpus.pipeline import process_version
from recolte.corpus.retrieval import memvec, passage_facts, tables, tuning
from recolte.corpus.search import Filters, allowed_passages, passages_search, selection
from recolte.corpus.tests.helpers import add, new_version
from recolte.corpus.tests.test_memvec import unit


@pytest.fixture
def corpus(world):
    campaign = Campaign.objects.create(
        programme=world.programme,
        title="Carnet 1",
        instrument="field_logbook",
        audience=Campaign.Audience.ALL_MEMBERS,
    )
    add(
        world,
        "Au Mali, les femmes gèrent le puits et l'eau.",
        language="fr",
        organisations=[world.lead],
        confidentiality=Confidentiality.PUBLISHED,
        campaign=campaign,
        instrument="field_logbook",
        date=date(2021, 3, 1),
    )
    add(
        world,
        "In the district, women manage the water point with ALPHA.",
        language="en",
        organisations=[world.partner],
        confidentiality=Confidentiality.PROGRAMME,
        pilot=world.pilot,
        instrument="interview",
        date=date(2022, 5, 1),
    )
    add(
        world,
        "La commune a financé une école.\n\nBETA a réparé le puits.",
        organisations=[world.partner],
        confidentiality=Confidentiality.FACILITATORS,
        date=date(2020, 1, 10),
    )
    add(
        world,
        "The water committee meets every month.",
        language="en",
        confidentiality=Confidentiality.PUBLISHED,
    )
    # Co-authored by the contributor's organisation: visible to them though unpublished.
    add(
        world,
        "Réunion commune sur l'école et le marché.",
        language="fr",
        organisations=[world.lead, world.partner],
        confidentiality=Confidentiality.PROGRAMME,
        pilot=world.pilot,
        campaign=campaign,
    )
    # Facilitators only, though by the contributor's organisation: hidden from them.
    world.internal = add(
        world,
        "Note interne d'ALPHA sur le puits et l'école.",
        language="fr",
        organisations=[world.lead],
        confidentiality=Confidentiality.FACILITATORS,
        pilot=world.pilot,
        campaign=campaign,
    )
    assert Mention.objects.filter(country="ML").exists()
    assert Mention.objects.filter(organisation=world.lead).exists()
    world.campaign = campaign
    return world


def loaded_now(world) -> passage_facts.PassageFacts:
    programme = world.programme.pk
    return passage_facts.load(programme, passage_facts.tokens(programme)[0])


def ids(user, world, f):
    return set(selection(user, world.programme, f).ids().tolist())


def sql(user, world, f):
    return set(allowed_passages(user, world.programme, f).values_list("pk", flat=True))


FILTERS = {
    "none": lambda w: None,
    "empty": lambda w: Filters(),
    "language": lambda w: Filters(language="en"),
    "unknown language": lambda w: Filters(language="xx"),
    "organisation lead": lambda w: Filters(organisation=w.lead.pk),
    "organisation partner": lambda w: Filters(organisation=w.partner.pk),
    "nature": lambda w: Filters(nature="local_authority"),
    "nature ngo": lambda w: Filters(nature="ngo"),
    "country ML": lambda w: Filters(country="ML"),
    "country FR": lambda w: Filters(country="FR"),
    "confidentiality": lambda w: Filters(confidentiality="programme"),
    "instrument": lambda w: Filters(instrument="interview"),
    "pilot": lambda w: Filters(pilot=w.pilot.pk),
    "dates": lambda w: Filters(date_from=date(2021, 1, 1), date_to=date(2022, 12, 31)),
    "campaign": lambda w: Filters(campaign=w.campaign.pk),
    "country+language": lambda w: Filters(country="ML", language="fr"),
    "org+nature+date": lambda w: Filters(
        organisation=w.lead.pk, nature="ngo", date_from=date(2021, 1, 1)
    ),
    "pilot+confidentiality": lambda w: Filters(pilot=w.pilot.pk, confidentiality="programme"),
    # A co-authored resource is "by partner" and "by an NGO" (lead) though no author is both.
    "partner+ngo": lambda w: Filters(organisation=w.partner.pk, nature="ngo"),
}


@pytest.mark.parametrize("name", FILTERS)
def test_selection_equals_sql(corpus, name):
    every = set(Passage.objects.filter(programme=corpus.programme).values_list("pk", flat=True))
    narrower = 0
    for role, user in corpus.users.items():
        f = FILTERS[name](corpus)
        expected = sql(user, corpus, f)
        assert ids(user, corpus, f) == expected, (role, name)
        narrower += bool(expected) and expected < every
    if name != "unknown language":
        assert narrower, "every role saw all or nothing: the case proves nothing"


@pytest.mark.parametrize("name", FILTERS)
def test_facilitators_only_material_of_ones_own_organisation_is_hidden(corpus, name):
    internal = set(corpus.internal.passages.values_list("pk", flat=True))
    f = FILTERS[name](corpus)
    for role in ("contributor", "team", "reader"):
        user = corpus.users[role]
        assert not internal & (ids(user, corpus, f) | sql(user, corpus, f)), (role, name)
    hits = passages_search(
        user=corpus.users["contributor"], programme=corpus.programme, query="note interne puits"
    ).hits
    assert hits and not internal & {h.passage.pk for h in hits}


def test_access_is_read_at_each_query(corpus):
    contributor = corpus.users["contributor"]
    hidden = Resource.objects.get(
        confidentiality=Confidentiality.FACILITATORS, organisations=corpus.partner
    )
    theirs = set(hidden.passages.values_list("pk", flat=True))
    words = "commune école puits"
    assert not theirs & ids(contributor, corpus, None)
    passages_search(user=contributor, programme=corpus.programme, query=words)
    hidden.confidentiality = Confidentiality.PUBLISHED
    hidden.save()  # no token bump: the cached passage facts must not answer the access rule
    assert theirs <= ids(contributor, corpus, None)
    hits = passages_search(user=contributor, programme=corpus.programme, query=words).hits
    assert theirs & {h.passage.pk for h in hits}
    hidden.confidentiality = Confidentiality.FACILITATORS
    hidden.save()
    assert not theirs & ids(contributor, corpus, None)
    hits = passages_search(user=contributor, programme=corpus.programme, query=words).hits
    assert not theirs & {h.passage.pk for h in hits}


def test_passage_facts_reload_and_late_passages(corpus):
    facilitator, contributor = corpus.users["facilitator"], corpus.users["contributor"]
    before = loaded_now(corpus)
    new = add(corpus, "Nouvelle note de terrain.", confidentiality="published")
    assert loaded_now(corpus) is not before  # the pipeline bumped the token
    assert set(new.passages.values_list("pk", flat=True)) <= ids(facilitator, corpus, None)

    # A passage written without the pipeline (no bump) is unknown to the cached passage facts:
    # `keep` asks SQL for ids above the facts' last one.
    loaded = loaded_now(corpus)
    hidden = Resource.objects.get(
        confidentiality=Confidentiality.FACILITATORS, organisations=corpus.partner
    )
    version = hidden.versions.get()
    late = Passage.objects.create(
        programme=corpus.programme,
        resource=hidden,
        first_version=version,
        version=version,
        ordinal=99,
        start=0,
        end=4,
        text="Tard",
        text_sha256="x",
        language="fr",
    )
    assert loaded_now(corpus) is loaded and late.pk > loaded.max_id
    assert selection(facilitator, corpus.programme, None).keep([late.pk]) == [True]
    assert selection(contributor, corpus.programme, None).keep([late.pk]) == [False]
    en = selection(facilitator, corpus.programme, Filters(language="en"))
    assert en.restricted and en.keep([late.pk]) == [False]

    other = Resource.objects.create(programme=corpus.other_programme, title="Ailleurs")
    process_version(new_version(other, "Une note d'un autre programme."))
    foreign = other.passages.get().pk
    assert selection(facilitator, corpus.programme, None).keep([foreign]) == [False]


def test_search_pages_respect_the_selection(corpus, monkeypatch):
    contributor = corpus.users["contributor"]
    visible_en = set(
        allowed_passages(contributor, corpus.programme, Filters(language="en")).values_list(
            "pk", flat=True
        )
    )
    hidden_en = set(Passage.objects.filter(language="en").values_list("pk", flat=True))
    hidden_en -= visible_en
    assert visible_en and hidden_en

    def found():
        results = passages_search(
            user=contributor,
            programme=corpus.programme,
            query="water women committee",
            filters=Filters(language="en"),
        )
        return {h.passage.pk for h in results.hits}

    assert found() == visible_en
    # Even a ranking that ignored the selection could not leak: pages are checked against it.
    everything = [(p, 1.0) for p in Passage.objects.values_list("pk", flat=True)]
    monkeypatch.setattr(tables, "fts_search", lambda *a, **k: everything)
    monkeypatch.setattr(tables, "vec_search", lambda *a, **k: everything)
    assert found() == visible_en
    # A passage retired after the facts were loaded (no token bump) is not shown.
    gone = Passage.objects.get(pk=min(visible_en))
    gone.retired_in = gone.version
    gone.save()
    assert found() == visible_en - {gone.pk}


def test_memvec_masked_search(monkeypatch):
    monkeypatch.setattr(tuning, "MEMVEC_EXACT_MAX", 500)
    rng = np.random.default_rng(2)
    centres = unit(rng.normal(size=(30, 384)))
    cluster = rng.integers(0, 30, 3000)
    vectors = unit(centres[cluster] + rng.normal(0, 0.05, (3000, 384)))
    ids_ = np.arange(10, 3010, dtype=np.int64)
    matrix = memvec.build("t", ids_, vectors)
    assert matrix.centroids is not None
    q = vectors[0]

    # `selected` is over the matrix rows (list order), as _Matrix.selected builds it.
    chosen = set(ids_[rng.random(3000) < 0.1].tolist())
    selected = np.isin(matrix.ids, list(chosen))
    found = memvec.nearest(matrix, q, 20, selected)
    assert found and {pk for pk, _ in found} <= chosen

    # Five selected rows, all far from the query: probed lists miss them, the exact
    # fallback must still return the true nearest of them.
    far = np.flatnonzero(cluster != cluster[0])[:5]
    mask = np.zeros(3000, bool)
    mask[far] = True
    sel_rows = np.isin(matrix.ids, ids_[far])
    assert len(memvec.nearest(matrix, q, 3, sel_rows)) < 3  # the fallback is exercised
    zeros = np.zeros(3000, np.int64), np.zeros(3000, np.int16)
    fac = passage_facts.PassageFacts("f", ids_, *zeros, {}, {}, {})
    chosen_sel = passage_facts.Selection(1, fac, mask, Passage.objects.none, "t")
    monkeypatch.setattr(memvec, "_load", lambda programme_id, token: matrix)
    exact = ids_[far][np.argsort(-(vectors[far] @ q))][:3]
    assert [pk for pk, _ in memvec.search(chosen_sel, q, 3)] == exact.tolist()
