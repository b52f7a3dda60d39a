"""The search engine loaded before the first person searches.

A first search used to pay for everything a process loads once: the embedding model, then per
programme its passage facts, full-text postings and vector matrix (`bench/bench_first_search.py`
prints the difference). The server (`recolte/wsgi.py`, which runserver loads too) and the
task worker (`CorpusConfig.ready`) warm them in a thread as they start; migrations, other
commands and tests never do.
"""

from __future__ import annotations

import logging
import sys
import threading
import time

from django.apps import apps
from django.db import connection

from recolte.registry.models import Programme
from recolte.registry.staff import COMMAND_USER

from .retrieval import memfts, tuning
from .search import passages_search

log = logging.getLogger(__name__)


def engine_warm() -> None:
    """Run a search in the programmes a process keeps in memory (the most recent ones): it
    loads the model and each programme's caches exactly as a person's first search would."""
    for programme in Programme.objects.order_by("-pk")[: tuning.CACHED_PROGRAMMES]:
        passages_search(user=COMMAND_USER, programme=programme, query="programme", limit=1)
        memfts.wait(programme.pk)  # a large programme's postings are built in the background


def warm_soon() -> threading.Thread:
    """Warm in a thread: the server answers meanwhile (pages that do not search are not held
    up), and a failure is logged, never fatal to the server."""

    def run() -> None:
        # Started from AppConfig.ready in the worker: the other apps may still be getting
        # ready, and the database must not be read before they are.
        while not apps.ready:
            time.sleep(0.05)
        try:
            engine_warm()
        except Exception:
            log.exception("search engine not warmed")
        finally:
            connection.close()  # this thread's own

    thread = threading.Thread(target=run, name="search-warm-up", daemon=True)
    thread.start()
    return thread


def is_task_worker() -> bool:
    """This process is the task worker (`manage.py db_worker`), not a test calling it."""
    return sys.argv[1:2] == ["db_worker"]
