"""The engine is loaded before the first search: by the server's WSGI module and the worker."""

import importlib
import sys
import threading

import pytest

from recolte.corpus import warm
from recolte.corpus.retrieval import memfts, memvec
from recolte.corpus.tests.helpers import add

# The warm-up reads the database from its own thread: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_server_warms_the_engine_as_it_loads(world, fake_embedder):
    add(world, "Le puits de Ménaka.", confidentiality="published")
    assert memfts._cache.get(world.programme.pk) is None
    sys.modules.pop("recolte.wsgi", None)
    importlib.import_module("recolte.wsgi")  # what runserver and WSGI servers load
    for thread in threading.enumerate():
        if thread.name == "search-warm-up":
            thread.join()
    assert fake_embedder.calls  # a query was embedded: the model is loaded
    assert memfts._cache.get(world.programme.pk) is not None
    assert memvec._cache.get(world.programme.pk) is not None


def test_only_the_task_worker_warms_up_among_commands(monkeypatch):
    assert not warm.is_task_worker()  # tests, migrations and other commands never pay it
    monkeypatch.setattr(sys, "argv", ["manage.py", "migrate"])
    assert not warm.is_task_worker()
    monkeypatch.setattr(sys, "argv", ["manage.py", "db_worker"])
    assert warm.is_task_worker()
