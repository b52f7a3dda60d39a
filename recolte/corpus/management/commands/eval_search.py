"""`recolte eval-search --codebook … --passages … [--json]`: search quality on a labelled set.

The passages become resources of a throwaway programme (rolled back at the end) and go through
the real pipeline and search code; each code's label plus guiding questions is a query, and the
passages labelled with that code are the relevant answers.
"""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from recolte.collection.ingest.text import normalise
from recolte.collection.models import Resource, ResourceVersion
from recolte.corpus import engine
from recolte.corpus.models import Passage
from recolte.corpus.pipeline import Batch, sha
from recolte.corpus.retrieval import MODES, memfts, rank, tuning
from recolte.corpus.search import selection
from recolte.registry.models import Programme
from recolte.registry.staff import COMMAND_USER


def metrics(ranked: list[str], relevant: set[str], cut: int = 10) -> tuple[float, float]:
    found = len(relevant & set(ranked[:cut]))
    first = next((i for i, pid in enumerate(ranked, 1) if pid in relevant), None)
    return found / len(relevant), (1 / first if first else 0.0)


def summarise(rows: list[tuple[float, float, int]]) -> dict:
    n = sum(size for _, _, size in rows)
    return {
        "recall@10": round(sum(r for r, _, _ in rows) / len(rows), 4),
        "mrr": round(sum(m for _, m, _ in rows) / len(rows), 4),
        "micro_recall@10": round(sum(r * size for r, _, size in rows) / n, 4),
        "micro_mrr": round(sum(m * size for _, m, size in rows) / n, 4),
    }


class Command(BaseCommand):
    help = "Measure recall@10 and MRR of BM25, vector and hybrid search on labelled passages."

    def add_arguments(self, parser):
        parser.add_argument("--codebook", required=True)
        parser.add_argument("--passages", required=True)
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--bm25-weight", type=float, default=tuning.WEIGHTS["bm25"])
        parser.add_argument("--vector-weight", type=float, default=tuning.WEIGHTS["vector"])
        parser.add_argument("--rrf-k", type=int, default=tuning.RRF_K)

    def handle(self, *args, **options):
        codes = json.loads(Path(options["codebook"]).read_text(encoding="utf-8"))["codes"]
        lines = Path(options["passages"]).read_text(encoding="utf-8").splitlines()
        passages = [json.loads(line) for line in lines if line.strip()]
        with transaction.atomic():
            report = self.evaluate(codes, passages, options)
            transaction.set_rollback(True)
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=1))
        else:
            for mode in MODES:
                self.stdout.write(f"{mode:7} {report[mode]}")

    def evaluate(self, codes: list[dict], passages: list[dict], options) -> dict:
        programme = Programme.objects.create(
            slug=f"eval-{int(time.time())}", name="eval-search", start_year=2000, end_year=2000
        )
        source_of: dict[int, str] = {}
        started = time.monotonic()
        batch = Batch()
        for item in passages:
            text = normalise(item["text"])
            resource = Resource.objects.create(programme=programme, title=item["id"], language="fr")
            source_of[resource.pk] = item["id"]
            batch.add(
                ResourceVersion.objects.create(
                    resource=resource, number=1, text=text, text_sha256=sha(text)
                )
            )
        batch.flush()
        processing = time.monotonic() - started
        labelled: dict[str, set[str]] = {}
        for item in passages:
            labelled.setdefault(item["code"], set()).add(item["id"])
        chosen = selection(COMMAND_USER, programme, None)
        resource_of = dict(chosen.allowed.values_list("pk", "resource_id"))
        weights = {"bm25": options["bm25_weight"], "vector": options["vector_weight"]}
        rows: dict[str, list] = {mode: [] for mode in MODES}
        queries = [c for c in codes if c["id"] in labelled]
        vectors = engine.embedder().query(
            [" ".join([c["label"], *c["questions"]]) for c in queries]
        )
        for code, vector in zip(queries, vectors, strict=True):
            query = " ".join([code["label"], *code["questions"]])
            for mode in MODES:
                ranked = rank(
                    selection=chosen,
                    query=query,
                    depth=100,
                    mode=mode,
                    query_vector=vector,
                    weights=weights,
                    k=options["rrf_k"],
                )
                ids = list(dict.fromkeys(source_of[resource_of[pk]] for pk, _, _ in ranked))
                relevant = labelled[code["id"]]
                rows[mode].append((*metrics(ids, relevant), len(relevant)))
        report = {mode: summarise(rows[mode]) for mode in MODES}
        report["codes"] = len(queries)
        report["passages"] = len(passages)
        report["indexed_passages"] = Passage.objects.filter(programme=programme).count()
        report["fusion"] = {"rrf_k": options["rrf_k"], "weights": weights}
        report["embedder"] = getattr(engine.embedder(), "engine", "")
        # Programmes too large for memory rank full text in the database (ts_rank on PostgreSQL).
        in_memory = memfts.serves(chosen)
        report["full_text"] = "bm25 in memory" if in_memory else f"{connection.vendor} index"
        report["processing_seconds"] = round(processing, 1)
        return report
