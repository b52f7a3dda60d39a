"""Measure code suggestions against human coding: held-out split or k-fold cross-validation."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from recolte.coding.suggest import (
    Codebook,
    cross_validate,
    disk_cached,
    e5_embedders,
    evaluate,
    hashing_embed,
    learning_curve,
)

# Content alone is the headline: real logbooks are not written in codebook order.
LINES = (
    ("supervised", "assistant, content only (headline)"),
    ("supervised_context", "assistant + document context (reads the passage order)"),
    ("zero_shot", "zero-shot, codebook alone"),
    ("tfidf_baseline", "TF-IDF + logistic regression baseline"),
)


def _jsonl(path: str) -> list[dict]:
    with Path(path).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


class Command(BaseCommand):
    help = (
        "Evaluate code suggestions (content only, with context, zero-shot, TF-IDF baseline), "
        "their calibration, or their learning curve."
    )

    def add_arguments(self, parser):
        parser.add_argument("--codebook", required=True, help="codebook JSON ({'codes': [...]})")
        parser.add_argument("--train", help="labelled passages (JSONL) to train on")
        parser.add_argument("--test", help="labelled passages (JSONL) to score")
        parser.add_argument("--cv", type=int, help="k-fold cross-validation on --passages")
        parser.add_argument("--passages", help="labelled passages (JSONL) for --cv or --curve")
        parser.add_argument("--seeds", default="0", help="comma-separated CV shuffling seeds")
        parser.add_argument(
            "--shuffle",
            action="store_true",
            help="shuffle the test passages (the context line then cannot read the file order)",
        )
        parser.add_argument(
            "--curve",
            action="store_true",
            help="accuracy after 0, 10, 25, 50, 100 and all training codings (CV on --passages)",
        )
        parser.add_argument(
            "--embedder",
            choices=("e5", "hashing"),
            default="e5",
            help="e5 sentence embeddings (default) or weight-free hashing vectors",
        )
        parser.add_argument(
            "--vectors-cache",
            help="pickle file keeping e5 vectors between runs (e.g. var/autocode_vectors.pkl)",
        )
        parser.add_argument("--json", action="store_true", help="print JSON only")

    def handle(self, *args, **opts):
        codebook = Codebook.from_data(json.loads(Path(opts["codebook"]).read_text("utf-8")))
        if opts["embedder"] == "e5":
            embed, embed_query = e5_embedders()
            if opts["vectors_cache"]:
                cache = Path(opts["vectors_cache"])
                embed = disk_cached(embed, cache, "passage")
                embed_query = disk_cached(embed_query, cache, "query")
        else:
            embed, embed_query = hashing_embed, None
        try:
            seeds = [int(s) for s in opts["seeds"].split(",")]
        except ValueError as exc:
            raise CommandError("--seeds takes integers separated by commas") from exc
        if (opts["cv"] or opts["curve"]) and not opts["passages"]:
            raise CommandError("--cv and --curve need --passages")
        if opts["cv"] is not None and opts["cv"] < 2:
            raise CommandError("--cv needs at least 2 folds")
        if opts["curve"]:
            result = learning_curve(
                codebook, _jsonl(opts["passages"]), embed, opts["cv"] or 5, seeds, embed_query
            )
            text = _curve_table
        elif opts["cv"]:
            result = cross_validate(
                codebook,
                _jsonl(opts["passages"]),
                embed,
                opts["cv"],
                seeds,
                embed_query,
                shuffle=opts["shuffle"],
            )
            text = _table
        elif opts["train"] and opts["test"]:
            test = _jsonl(opts["test"])
            if opts["shuffle"]:
                test = [test[i] for i in np.random.default_rng(seeds[0]).permutation(len(test))]
            result = evaluate(codebook, _jsonl(opts["train"]), test, embed, embed_query)
            text = _table
        else:
            raise CommandError("give --train and --test, --cv K with --passages, or --curve")
        self.stdout.write(
            json.dumps(result, ensure_ascii=False, indent=2) if opts["json"] else text(result)
        )


def _cell(value) -> str:
    return f"{value['mean']:.3f}±{value['sd']:.3f}" if isinstance(value, dict) else f"{value:.3f}"


def _table(result: dict) -> str:
    lines = [
        f"n={result['n']}  shuffle={result.get('shuffle', False)}  seconds={result['seconds']}"
    ]
    for method, title in LINES:
        lines.append(title)
        for level, metrics in result[method].items():
            cells = "  ".join(f"{name}={_cell(value)}" for name, value in metrics.items())
            lines.append(f"  {level:8} {cells}")
    cal = result["calibration"]
    high = cal["high_confidence"]
    precision = "-" if high["precision"] is None else f"{high['precision']:.3f}"
    lines += [
        f"calibration ({cal['of']}): ECE={cal['ece']:.3f}",
        f"  high-confidence band: precision={precision} coverage={high['coverage']:.3f} "
        f"(n={high['n']})",
        "  reliability: score bin -> n, mean score, accuracy",
    ]
    lines += [
        f"  {b['low']:.1f}-{b['high']:.1f}  n={b['n']:<4} score={b['confidence']:.3f} "
        f"accuracy={b['accuracy']:.3f}"
        for b in cal["bins"]
    ]
    return "\n".join(lines)


def _curve_table(result: dict) -> str:
    lines = [
        f"n={result['n']}  folds={result['folds']}  seconds={result['seconds']}",
        "codings  assistant leaf@1 leaf@3 section@1 | TF-IDF leaf@1 leaf@3 section@1",
    ]
    for row in result["curve"]:
        cells = []
        for method in ("assistant", "tfidf_baseline"):
            got = row.get(method)
            cells.append(
                " ".join(f"{got[k]:.3f}" for k in ("leaf_top1", "leaf_top3", "section_top1"))
                if got
                else "  -     -     -  "
            )
        lines.append(f"{row['codings']!s:>7}  {cells[0]} | {cells[1]}")
    return "\n".join(lines)
