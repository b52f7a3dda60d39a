"""5-fold cross-validation of code suggestions on the reference report (CAAC development split).

Usage: .venv/bin/python bench/cv_autocode.py [--seeds 0,1,2] [--no-context] [--data DIR]
Vectors are cached under /tmp so that reruns only pay for the models, not the embeddings.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import sys
from pathlib import Path

import numpy as np

from recolte.shared_data import CAAC

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recolte.settings")

CACHE = Path("/tmp/recolte_autocode_vectors.pkl")


def cached(embed, mode: str):
    """Wrap an embedder with a pickle cache keyed by mode and text."""
    store = pickle.loads(CACHE.read_bytes()) if CACHE.exists() else {}

    def run(texts: list[str]) -> np.ndarray:
        keys = [hashlib.sha1(f"{mode}\0{t}".encode()).hexdigest() for t in texts]
        missing = [i for i, k in enumerate(keys) if k not in store]
        if missing:
            for i, vec in zip(missing, embed([texts[i] for i in missing]), strict=True):
                store[keys[i]] = np.asarray(vec, dtype=np.float32)
            CACHE.write_bytes(pickle.dumps(store))
        return np.stack([store[k] for k in keys])

    return run


def main() -> None:
    from recolte.coding.suggest import Codebook, cross_validate, e5_embedders

    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(CAAC))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seeds", default="0")
    parser.add_argument("--no-context", action="store_true", help="score test passages alone")
    parser.add_argument("--json", help="also write the full result to this file")
    args = parser.parse_args()
    data = Path(args.data)
    codebook = Codebook.from_data(json.loads((data / "codebook.json").read_text("utf-8")))
    lines = (data / "passages_dev.jsonl").read_text("utf-8").splitlines()
    passages = [json.loads(line) for line in lines if line.strip()]
    passage, query = e5_embedders()
    seeds = [int(s) for s in args.seeds.split(",")]
    result = cross_validate(
        codebook,
        passages,
        cached(passage, "passage"),
        args.folds,
        seeds,
        cached(query, "query"),
        context=not args.no_context,
    )
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False), "utf-8")
    print(
        f"n={result['n']} folds={args.folds} seeds={seeds} context={result['context']} "
        f"seconds={result['seconds']}"
    )
    print(f"{'method':15} {'level':8} {'top1':>13} {'top3':>13} {'macro_f1':>13}")
    for method in ("zero_shot", "supervised", "tfidf_baseline"):
        for level, cells in result[method].items():
            row = " ".join(f"{c['mean']:.3f} ± {c['sd']:.3f}" for c in cells.values())
            print(f"{method:15} {level:8} {row}")


if __name__ == "__main__":
    main()
