import pytest

from recolte.corpus import memfts
from recolte.testing import make_world


@pytest.fixture(autouse=True)
def _fresh_full_text_rows():
    # A rolled-back test hands its passage ids out again, with other texts. In use an id
    # never names another text (PostgreSQL sequences, SQLite AUTOINCREMENT), which memfts
    # relies on to reuse rows.
    memfts._cache.clear()


@pytest.fixture
def world(db):
    return make_world()
