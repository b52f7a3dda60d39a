"""First search after the server starts, with and without the engine warmed at start.

Each measure is a fresh process on the demo data (`demo_load` and the task worker into a
scratch data directory, or `--data DIR` holding one already): "cold" sets Django up and
searches at once (the server before warming); "warmed" loads `recolte.wsgi` as the server
does, waits for its warm-up thread, then searches. Then a second query, for the steady state.

    .venv/bin/python bench/bench_first_search.py [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ("dialogue avec les collectivités", "accès à l'eau et gestion des puits")

PROBE = """
import json, os, sys, threading, time
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recolte.settings")
start = time.perf_counter()
import django
django.setup()
warm = None
if {warmed!r}:
    import recolte.wsgi  # the server's entry point: starts the warm-up
    for thread in threading.enumerate():
        if thread.name == "search-warm-up":
            thread.join()
    warm = time.perf_counter() - start
from recolte.corpus.search import passages_search
from recolte.registry.models import Programme
from recolte.registry.staff import COMMAND_USER
programme = Programme.objects.order_by("pk").first()
times = []
for query in {queries!r}:
    t = time.perf_counter()
    found = passages_search(user=COMMAND_USER, programme=programme, query=query)
    times.append(time.perf_counter() - t)
print(json.dumps({{"warm_up": warm, "first": times[0], "next": times[1], "total": found.total}}))
"""


def probe(env: dict, warmed: bool) -> dict:
    code = PROBE.format(root=str(ROOT), warmed=warmed, queries=QUERIES)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="a data directory holding the demo (default: built now)")
    args = parser.parse_args()
    scratch = None if args.data else tempfile.TemporaryDirectory(prefix="recolte-first-")
    data = args.data or scratch.name
    env = {**os.environ, "RECOLTE_DATA": data}
    env.pop("DATABASE_URL", None)
    if not args.data:
        manage = [sys.executable, "manage.py"]
        # The demo's resources are cut into passages by the task worker, as `make demo` does.
        worker = ["db_worker", "--batch", "--no-startup-delay"]
        for command in (["migrate", "-v0"], ["demo_load"], worker):
            subprocess.run(manage + command, env=env, cwd=ROOT, check=True, capture_output=True)
    for label, warmed in (("cold (no warm-up)", False), ("warmed at start", True)):
        r = probe(env, warmed)
        warm = f", warm-up {r['warm_up']:.2f} s from start" if r["warm_up"] is not None else ""
        print(
            f"{label:18} first search {r['first'] * 1000:7.0f} ms, next {r['next'] * 1000:5.0f} ms"
            f"{warm} ({r['total']} passages with the words)"
        )
    if scratch:
        scratch.cleanup()


if __name__ == "__main__":
    main()
