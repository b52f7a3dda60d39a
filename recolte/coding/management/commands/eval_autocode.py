"""Measure code suggestions against human coding: held-out split or k-fold cross-validation."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recolte.coding.suggest import Codebook, cross_validate, e5_embedders, evaluate, hashing_embed


def _jsonl(path: str) -> list[dict]:
    with Path(path).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


class Command(BaseCommand):
    help = "Evaluate zero-shot, supervised and TF-IDF code suggestions (top-1/top-3/macro-F1)."

    def add_arguments(self, parser):
        parser.add_argument("--codebook", required=True, help="codebook JSON ({'codes': [...]})")
        parser.add_argument("--train", help="labelled passages (JSONL) to train on")
        parser.add_argument("--test", help="labelled passages (JSONL) to score")
        parser.add_argument("--cv", type=int, help="k-fold cross-validation on --passages")
        parser.add_argument("--passages", help="labelled passages (JSONL) for --cv")
        parser.add_argument("--seeds", default="0", help="comma-separated CV shuffling seeds")
        parser.add_argument(
            "--embedder",
            choices=("e5", "hashing"),
            default="e5",
            help="e5 sentence embeddings (default) or weight-free hashing vectors",
        )
        parser.add_argument(
            "--no-context",
            action="store_true",
            help="score each test passage alone (default: neighbours in file order help)",
        )
        parser.add_argument("--json", action="store_true", help="print JSON only")

    def handle(self, *args, **opts):
        codebook = Codebook.from_data(json.loads(Path(opts["codebook"]).read_text("utf-8")))
        if opts["embedder"] == "e5":
            embed, embed_query = e5_embedders()
        else:
            embed, embed_query = hashing_embed, None
        context = not opts["no_context"]
        if opts["cv"]:
            if not opts["passages"]:
                raise CommandError("--cv needs --passages")
            seeds = [int(s) for s in opts["seeds"].split(",")]
            result = cross_validate(
                codebook,
                _jsonl(opts["passages"]),
                embed,
                opts["cv"],
                seeds,
                embed_query,
                context=context,
            )
        elif opts["train"] and opts["test"]:
            result = evaluate(
                codebook,
                _jsonl(opts["train"]),
                _jsonl(opts["test"]),
                embed,
                embed_query,
                context=context,
            )
        else:
            raise CommandError("give --train and --test, or --cv K with --passages")
        if opts["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(_table(result))


def _table(result: dict) -> str:
    lines = [f"n={result['n']}  seconds={result['seconds']}"]
    for method in ("zero_shot", "supervised", "tfidf_baseline"):
        for level, metrics in result[method].items():
            cells = []
            for name, value in metrics.items():
                text = (
                    f"{value['mean']:.3f}±{value['sd']:.3f}"
                    if isinstance(value, dict)
                    else (f"{value:.3f}")
                )
                cells.append(f"{name}={text}")
            lines.append(f"{method:15} {level:8} " + "  ".join(cells))
    return "\n".join(lines)
