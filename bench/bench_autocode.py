"""Speed of the coding assistant: retraining on 1,000 codings, suggestions per 100 passages.

Usage: .venv/bin/python bench/bench_autocode.py [--codings 1000] [--passages 100]
Reads the reference report (CAAC); its 251 passages are cycled to reach the number of codings
(each copy a distinct text, as TF-IDF sees it, with the original's vector). Passage vectors are
known beforehand, as in the product, where the corpus stores them when it processes a resource;
the code descriptions are embedded at training, as in the product.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recolte.settings")


def main() -> None:
    from recolte.coding.suggest import Codebook, Suggester, disk_cached, e5_embedders
    from recolte.shared_data import CAAC

    parser = argparse.ArgumentParser()
    parser.add_argument("--codings", type=int, default=1000)
    parser.add_argument("--passages", type=int, default=100)
    args = parser.parse_args()
    codebook = Codebook.from_data(json.loads((CAAC / "codebook.json").read_text("utf-8")))
    lines = (CAAC / "passages_dev.jsonl").read_text("utf-8").splitlines()
    passages = [json.loads(line) for line in lines if line.strip()]
    cache = ROOT / "var" / "autocode_vectors.pkl"
    passage, query = e5_embedders()
    passage, query = disk_cached(passage, cache, "passage"), disk_cached(query, cache, "query")
    base = {
        p["text"]: v for p, v in zip(passages, passage([p["text"] for p in passages]), strict=True)
    }
    Suggester(codebook, passage, query).fit(passages[:5], calibrate=False)  # warm the cache

    def known(texts: list[str]) -> np.ndarray:
        """The stored vector of a passage (of its original, for a copy); others are embedded."""
        originals = [t.split(" \u2063")[0] for t in texts]
        if all(t in base for t in originals):
            return np.stack([base[t] for t in originals])
        return passage(texts)

    rows = [
        {**p, "text": f"{p['text']} \u2063{i // len(passages)}"} if i >= len(passages) else p
        for i, p in enumerate(passages[i % len(passages)] for i in range(args.codings))
    ]
    start, cpu = time.perf_counter(), time.process_time()
    model = Suggester(codebook, known, query).fit(rows)
    trained, trained_cpu = time.perf_counter() - start, time.process_time() - cpu
    new = [p["text"] for p in passages[: args.passages]]
    start, cpu = time.perf_counter(), time.process_time()
    scores = model.scores(new, [p.get("orgs") for p in passages[: args.passages]])
    top = np.argsort(-scores, axis=1)[:, :3]
    suggested, suggested_cpu = time.perf_counter() - start, time.process_time() - cpu
    # CPU time too: on a shared machine the wall clock mostly measures the neighbours
    print(
        f"retraining on {len(rows)} codings (with calibration): {trained:.1f} s "
        f"(CPU {trained_cpu:.1f} s)"
    )
    print(
        f"suggestions for {len(new)} passages: {suggested:.2f} s (CPU {suggested_cpu:.2f} s), "
        f"{top.shape[1]} codes each"
    )


if __name__ == "__main__":
    main()
