from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings

from recolte.corpus import retrieval
from recolte.testing import make_world

# Property tests: each sets its own max_examples so the whole lot stays well under a minute;
# a parser that takes over 2 s on a small input counts as hanging.
settings.register_profile(
    "recolte",
    deadline=timedelta(seconds=2),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile("recolte")


@pytest.fixture(autouse=True)
def _fresh_search_caches():
    # A rolled-back test hands its passage ids out again, with other texts. In use an id
    # never names another text (PostgreSQL sequences, SQLite AUTOINCREMENT), which the search
    # engine's caches rely on to reuse rows.
    retrieval.reset()


@pytest.fixture
def world(db):
    return make_world()
