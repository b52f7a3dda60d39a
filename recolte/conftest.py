import pytest

from recolte.testing import make_world


@pytest.fixture
def world(db):
    return make_world()
