"""Search input fed arbitrary text: query syntax and filters never raise (hypothesis)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recolte.corpus.filters import parse_filters
from recolte.corpus.search import passages_search
from recolte.corpus.text import WORD, query_terms

from .helpers import add

FILTERS = (
    "instrument",
    "campaign",
    "organisation",
    "nature",
    "pilot",
    "country",
    "language",
    "date_from",
    "date_to",
    "confidentiality",
)
# Characters FTS5 and tsquery give a meaning to, so generated queries hit them often.
SYNTAX = st.text(alphabet=st.sampled_from("\"*:^()-+~<>&|!'NEARORAND eau puits \x00\\%_"))
QUERIES = st.one_of(st.text(max_size=80), SYNTAX)


@settings(max_examples=300)
@given(query=QUERIES)
def test_query_terms_are_plain_words(query):
    terms = query_terms(query)
    assert all(WORD.fullmatch(term) for term in terms)  # no operator reaches the index


@settings(max_examples=200)
@given(values=st.dictionaries(st.sampled_from(FILTERS), st.text(max_size=30)))
def test_any_filter_values_parse(values):
    parse_filters(values.get)


@pytest.fixture
def indexed(world):
    add(world, "Les femmes gèrent le puits et la caisse d'eau du village.")
    return world


@settings(max_examples=80)
@given(query=QUERIES, mode=st.sampled_from(["bm25", "hybrid", "vector"]))
def test_search_accepts_any_query(indexed, query, mode):
    results = passages_search(
        user=indexed.users["facilitator"], programme=indexed.programme, query=query, mode=mode
    )
    assert results.total >= len(results.hits)
