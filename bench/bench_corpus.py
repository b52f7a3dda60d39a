"""Corpus benchmark: processing rate against the raw embedding engine, search latency, memory.

For each database (SQLite; PostgreSQL from scripts/pg.sh when it starts) and corpus size, a
worker process migrates a fresh database, loads a generated corpus (bench/gen_corpus.py) and:
1. processes the first --embed-sample passages end to end with the real engine (split, link,
   embed, index) and embeds the same texts with the raw engine: the ratio is the target;
2. processes the rest with synthetic vectors (perturbed copies of the real ones, so clusters
   look real) — said in the output — to reach the corpus size quickly;
3. times --queries varied queries (fragments of sentences, organisation names, code labels,
   English and Spanish) without filters, with one filter each, and as a contributor (access
   rule applied): p50/p95 in ms, query embedding included; each series runs --passes times
   and the pass with the median p95 is reported (every pass's p95 is in the JSON line).

    .venv/bin/python bench/bench_corpus.py [--sizes 10000,100000] [--embed-sample 1000]
        [--keep DIR]  # keep the corpora: later runs with the same DIR only measure search
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
# Dropped for the bulk load and built once at the end (as migration corpus 0002 creates it).
HNSW_INDEX = (
    "CREATE INDEX IF NOT EXISTS corpus_vec_hnsw ON corpus_vec"
    " USING hnsw (embedding vector_cosine_ops)"
)

FOREIGN_QUERIES = [
    "women managing the water point",
    "cooperación entre ciudades",
    "seeds and drought",
    "formación de jóvenes electricistas",
]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))], 1)


def worker(args) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recolte.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from recolte.corpus.embeddings import get_embedder
    from recolte.corpus.models import Passage
    from recolte.corpus.split import split

    call_command("migrate", verbosity=0, skip_checks=True)
    real = get_embedder()
    real.passages(["échauffement du moteur"] * 8)
    split("Une phrase. " * 200, french=True)  # loads spaCy once, outside the timings
    figures = {"database": connection.vendor}
    if not Passage.objects.filter(programme__slug="bench").exists():
        figures |= build(args, real)
    figures |= measure(args, real)
    figures |= {
        "passages": Passage.objects.count(),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "load_average": round(os.getloadavg()[0], 1),
    }
    return figures


def build(args, real) -> dict:
    """A fresh corpus of --size passages; processing figures (see the module's notes)."""
    import numpy as np
    from django.db import connection
    from gen_corpus import generate

    from recolte.collection.models import Resource, ResourceVersion
    from recolte.corpus import engine, pipeline
    from recolte.corpus.models import Passage, PassageVector
    from recolte.registry.models import Nature, Organisation, Programme

    programme = Programme.objects.create(slug="bench", name="Bench", start_year=2014, end_year=2018)
    docs = generate(args.size)
    names = sorted({o for d in docs for o in d["organisations"]})
    orgs = {
        n: Organisation.objects.create(programme=programme, name=n, nature=Nature.NGO)
        for n in names
    }
    versions = []
    for i, doc in enumerate(docs):
        res = Resource.objects.create(
            programme=programme,
            title=doc["title"],
            language="fr",
            confidentiality="published" if i % 10 == 0 else "programme",
        )
        res.organisations.set([orgs[n] for n in doc["organisations"]])
        versions.append(
            ResourceVersion.objects.create(
                resource=res, number=1, text=doc["text"], text_sha256=pipeline.sha(doc["text"])
            )
        )
    per_doc = max(1, args.embed_sample // 10)
    sample, rest = versions[:per_doc], versions[per_doc:]

    texts = [v.text[p.start : p.end] for v in sample for p in pipeline.pieces_of(v)[0]]

    def raw() -> float:
        started = time.perf_counter()
        for at in range(0, len(texts), pipeline.EMBED_BATCH):
            real.passages(texts[at : at + pipeline.EMBED_BATCH])
        return time.perf_counter() - started

    # The engine alone is timed before and after the pipeline, on the same texts: this host's
    # speed drifts by tens of percent within minutes, and one side alone skewed the ratio
    # (0.72 to 1.08 for the same code).
    raw_before = raw()
    started = time.perf_counter()
    batch = pipeline.Batch()
    for v in sample:
        batch.add(v)
    batch.flush()
    pipeline_seconds = time.perf_counter() - started
    raw_after = raw()
    raw_seconds = (raw_before + raw_after) / 2
    assert len(texts) == Passage.objects.filter(version__in=sample).count()
    real_vectors = np.stack([v.array() for v in PassageVector.objects.all()])

    class Synthetic:
        name, version, engine, dim = real.name, real.version, "synthetic", real.dim

        def passages(self, batch_texts):
            base = real_vectors[rng_np.integers(0, len(real_vectors), len(batch_texts))]
            noisy = base + rng_np.normal(0, 0.02, base.shape).astype(np.float32)
            return noisy / np.linalg.norm(noisy, axis=1, keepdims=True)

        query = real.query

    rng_np = np.random.default_rng(5)
    engine.embedder = Synthetic
    pg = connection.vendor == "postgresql"
    if pg:
        with connection.cursor() as c:
            c.execute("DROP INDEX corpus_vec_hnsw")
    started = time.perf_counter()
    batch = pipeline.Batch()
    for v in rest:
        batch.add(v)
    batch.flush()
    bulk_seconds = time.perf_counter() - started
    hnsw_seconds = 0.0
    if pg:
        started = time.perf_counter()
        with connection.cursor() as c:
            c.execute("SET maintenance_work_mem = '512MB'")
            c.execute(HNSW_INDEX)
            c.execute("ANALYZE")
        hnsw_seconds = time.perf_counter() - started
    engine.embedder = lambda: real
    n_sample = len(texts)
    synthetic = Passage.objects.count() - n_sample
    return {
        "documents": len(docs),
        "embed_sample_passages": n_sample,
        "processing_rate": round(n_sample / pipeline_seconds, 1),
        "raw_embedding_rate": round(n_sample / raw_seconds, 1),
        "raw_rate_before_after": [round(n_sample / t, 1) for t in (raw_before, raw_after)],
        "ratio": round(raw_seconds / pipeline_seconds, 3),
        "embedder": real.engine,
        "synthetic_vectors": synthetic,
        "bulk_rate_without_embedding": round(synthetic / bulk_seconds, 1),
        "hnsw_build_s": round(hnsw_seconds, 1),
    }


def measure(args, real) -> dict:
    """Latency of --queries varied queries: no filter, one filter each, as a contributor, and
    with query vectors computed beforehand (the indexes' own time)."""
    from django.contrib.auth import get_user_model
    from gen_corpus import CAAC, generate

    from recolte.access.models import Membership, Role
    from recolte.corpus.retrieval import memfts, ranking
    from recolte.corpus.search import Filters, passages_search
    from recolte.registry.models import Organisation, Programme

    rng = random.Random(3)
    programme = Programme.objects.get(slug="bench")
    org_ids = list(Organisation.objects.filter(programme=programme).order_by("pk"))
    names = [o.name for o in org_ids]
    pool = [t for d in generate(2000, seed=11) for t in d["text"].split("\n\n")]
    codes = json.loads((CAAC / "codebook.json").read_text(encoding="utf-8"))["codes"]
    queries = []
    for i in range(args.queries):
        kind = i % 5
        if kind in (0, 1):
            words = rng.choice(pool).split()
            at = rng.randrange(max(1, len(words) - 6))
            queries.append(" ".join(words[at : at + rng.randint(3, 7)]))
        elif kind == 2:
            queries.append(rng.choice(names))
        elif kind == 3:
            queries.append(rng.choice(codes)["label"])
        else:
            queries.append(rng.choice(FOREIGN_QUERIES))
    filter_cycle = [
        lambda: Filters(language="fr"),
        lambda: Filters(organisation=rng.choice(org_ids).pk),
        lambda: Filters(nature="ngo", confidentiality="published"),
        lambda: Filters(language="en"),
    ]
    staff = type("Staff", (), {"is_authenticated": True, "is_superuser": True})()
    contributor, _ = get_user_model().objects.get_or_create(username="bench-contributor")
    Membership.objects.get_or_create(
        user=contributor,
        programme=programme,
        defaults={"role": Role.CONTRIBUTOR, "organisation": org_ids[0]},
    )
    started = time.perf_counter()
    passages_search(user=staff, programme=programme, query="première requête")
    first_query = time.perf_counter() - started
    # Large programmes' full-text postings are built in a background thread (the database
    # ranks meanwhile): the timed series start once it is done.
    memfts.wait(programme.pk)
    full_text_build = time.perf_counter() - started
    # The first filtered search loads what filters need (passage facts; vectors in process on
    # PostgreSQL): timed apart, as a server pays it once per change of the corpus.
    started = time.perf_counter()
    english = Filters(language="en")
    passages_search(user=staff, programme=programme, query="requête", filters=english)
    first_filtered = time.perf_counter() - started
    embed_ms = []
    for q in queries[:50]:
        t = time.perf_counter()
        real.query([q])
        embed_ms.append(1000 * (time.perf_counter() - t))
    series = {}
    for label, user, make_filters in (
        ("no filter", staff, lambda i: None),
        ("one filter", staff, lambda i: filter_cycle[i % len(filter_cycle)]()),
        ("contributor", contributor, lambda i: None),
        ("index only", staff, lambda i: None),
    ):
        runs = []
        for _ in range(args.passes):
            ranking._cached_embedding.cache_clear()  # every pass starts cold
            if label == "index only":
                for q in queries:
                    ranking.query_embedding(q)
            times = []
            for i, q in enumerate(queries):
                t = time.perf_counter()
                passages_search(user=user, programme=programme, query=q, filters=make_filters(i))
                times.append(1000 * (time.perf_counter() - t))
            runs.append((pct(times, 95), pct(times, 50), times))
        # The pass with the median p95: one burst of the host's other tenants should not
        # decide the figure; every pass's p95 is printed beside it.
        p95, p50, times = sorted(runs, key=lambda r: r[0])[len(runs) // 2]
        series[label] = {"p50_ms": p50, "p95_ms": p95, "p95_ms_passes": [r[0] for r in runs]}
        if args.verbose:
            slow = sorted(zip(times, queries, range(len(queries)), strict=True), reverse=True)[:5]
            print(label, [(round(t), q, i % 4) for t, q, i in slow], file=sys.stderr)
    return {
        "first_query_s": round(first_query, 2),
        "full_text_build_s": round(full_text_build, 2),
        "update_s": update(programme, staff),
        "first_filtered_query_s": round(first_filtered, 2),
        "query_embedding_p50_ms": pct(embed_ms, 50),
        "search": series,
    }


def update(programme, staff) -> dict:
    """What the first search after a new resource is processed costs, and the background
    rebuild of the full-text postings that follows (the corpus is left as it was)."""
    from gen_corpus import generate

    from recolte.collection.models import Resource, ResourceVersion
    from recolte.corpus import pipeline, retrieval
    from recolte.corpus.retrieval import memfts
    from recolte.corpus.search import passages_search

    doc = generate(1, seed=99)[0]
    resource = Resource.objects.create(programme=programme, title="update", language="fr")
    version = ResourceVersion.objects.create(
        resource=resource, number=1, text=doc["text"], text_sha256=pipeline.sha(doc["text"])
    )
    pipeline.process_version(version)
    started = time.perf_counter()
    passages_search(user=staff, programme=programme, query="une requête après l'import")
    first = time.perf_counter() - started
    memfts.wait(programme.pk)
    rebuilt = time.perf_counter() - started
    added = list(resource.passages.values_list("pk", flat=True))
    retrieval.unindex(added)
    resource.delete()
    retrieval.invalidate(programme.pk)
    return {"first_search_s": round(first, 2), "full_text_rebuilt_s": round(rebuilt, 2)}


def run_worker(args, size: int, env: dict) -> dict:
    cmd = [
        sys.executable,
        __file__,
        "--worker",
        "--size",
        str(size),
        "--embed-sample",
        str(args.embed_sample),
        "--queries",
        str(args.queries),
        "--passes",
        str(args.passes),
    ]
    if args.verbose:
        cmd.append("--verbose")
    out = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    if out.returncode:
        raise RuntimeError(f"worker failed ({out.returncode})")
    return json.loads(out.stdout.strip().splitlines()[-1])


def pg_database(base_url: str, name: str, keep: bool) -> str:
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not (keep and exists):
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
    return base_url.rsplit("/", 1)[0] + "/" + name


def run_all(args, where: Path) -> list[dict]:
    results = []
    sizes = [int(s) for s in args.sizes.split(",")]
    env = {**os.environ, "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    env.pop("DATABASE_URL", None)
    if "sqlite" in args.databases:
        for size in sizes:
            data = where / f"sqlite-{size}"
            data.mkdir(parents=True, exist_ok=True)
            results.append(run_worker(args, size, {**env, "RECOLTE_DATA": str(data)}))
            print(json.dumps(results[-1]), flush=True)
    if "postgresql" in args.databases:
        pg_env = {**env, "PG_STATE": str(where / "pg.env")}
        started = subprocess.run(
            ["scripts/pg.sh", "start"], env=pg_env, cwd=ROOT, capture_output=True, text=True
        )
        if started.returncode:
            print("postgresql: server did not start: " + started.stderr[-500:])
            return results
        try:
            for size in sizes:
                url = pg_database(started.stdout.strip(), f"bench_{size}", bool(args.keep))
                results.append(run_worker(args, size, {**pg_env, "DATABASE_URL": url}))
                print(json.dumps(results[-1]), flush=True)
        finally:
            if not args.keep:
                subprocess.run(["scripts/pg.sh", "stop"], env=pg_env, cwd=ROOT)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--embed-sample", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--passes", type=int, default=3, help="timed passes over the queries")
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="keep the corpora (SQLite files, PostgreSQL server) in DIR and reuse them: "
        "later runs only measure search",
    )
    parser.add_argument("--verbose", action="store_true", help="print the slowest queries")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, default=10000, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        results = run_all(args, Path(args.keep or tmp))
    print(
        "\ndatabase    passages  proc/s  raw/s  ratio  search p50/p95 ms: none | filter | "
        "contributor | index only  peak MB"
    )
    for r in results:
        s = {k: f"{v['p50_ms']}/{v['p95_ms']}" for k, v in r["search"].items()}
        print(
            f"{r['database']:11} {r['passages']:8} {r.get('processing_rate', '-'):7} "
            f"{r.get('raw_embedding_rate', '-'):6} {r.get('ratio', '-'):6}  "
            f"{s['no filter']} | {s['one filter']} | {s['contributor']} | {s['index only']}  "
            f"{r['peak_rss_mb']}"
        )
    print(
        f"(vectors beyond the first {args.embed_sample} passages are synthetic: perturbed copies "
        "of real ones; query embedding is included in search latency)"
    )


if __name__ == "__main__":
    main()
