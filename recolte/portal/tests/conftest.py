import pytest

from recolte.corpus import engine
from recolte.corpus.tests.conftest import FakeEmbedder


@pytest.fixture(autouse=True)
def _portal(settings, monkeypatch):
    settings.LANGUAGE_CODE = "en"
    monkeypatch.setattr(engine, "embedder", lambda: FakeEmbedder())


@pytest.fixture
def published(world):
    """The world's programme on the portal, with its pilot sheet still private."""
    world.programme.is_published = True
    world.programme.save()
    return world
