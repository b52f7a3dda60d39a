"""Corpus generator for bench_corpus.py: documents of passages recombining real French sentences.

Sentences come from the CAAC development passages (read at run time, never stored here) and the
organisation names from its programme file; about 8% of passages are English or Spanish
sentences written for this generator. Each document is ~10 passages separated by blank lines.

    .venv/bin/python bench/gen_corpus.py --passages 10000 --out /tmp/corpus.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

from recolte.shared_data import CAAC

OTHER = {
    "en": [
        "The women's group now manages the water point with the municipality.",
        "Farmers in the region shared their seeds and their experience of the drought.",
        "The partnership helped the local authority plan its budget with residents.",
        "Young people trained as electricians found work in their own villages.",
        "Cooperation between the two towns started with an exchange of teachers.",
        "The network learned to listen before proposing solutions.",
        "Migrants' associations financed a health centre in their home district.",
    ],
    "es": [
        "Las mujeres del pueblo gestionan ahora el pozo con el municipio.",
        "Los productores compartieron sus semillas y su experiencia de la sequía.",
        "La cooperación entre las dos ciudades empezó con un intercambio de maestros.",
        "Los jóvenes formados como electricistas encontraron trabajo en sus aldeas.",
        "La red aprendió a escuchar antes de proponer soluciones.",
        "Las asociaciones de migrantes financiaron un centro de salud.",
    ],
}


def sentences() -> list[str]:
    rows = [json.loads(line) for line in (CAAC / "passages_dev.jsonl").open(encoding="utf-8")]
    found = []
    for row in rows:
        for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý«])", " ".join(row["text"].split())):
            if 40 <= len(s) <= 400:
                found.append(s)
    return found


def organisations() -> list[str]:
    data = json.loads((CAAC / "program.json").read_text(encoding="utf-8"))
    return list(data["members"]["listed"])


def generate(n_passages: int, seed: int = 7, per_doc: int = 10) -> list[dict]:
    """Documents {"title", "language", "text", "organisations"} totalling ~n_passages."""
    rng = random.Random(seed)
    pool, orgs = sentences(), organisations()
    docs = []
    for d in range(-(-n_passages // per_doc)):
        paragraphs = []
        mentioned = rng.sample(orgs, 2)
        for _ in range(per_doc):
            roll = rng.random()
            if roll < 0.05:
                paragraphs.append(" ".join(rng.sample(OTHER["en"], 2)))
            elif roll < 0.08:
                paragraphs.append(" ".join(rng.sample(OTHER["es"], 2)))
            else:
                parts = rng.sample(pool, rng.randint(1, 3))
                if rng.random() < 0.3:
                    parts.append(f"{rng.choice(mentioned)} y a contribué.")
                paragraphs.append(" ".join(parts))
        docs.append(
            {
                "title": f"Document {d + 1}",
                "language": "fr",
                "text": "\n\n".join(paragraphs),
                "organisations": mentioned,
            }
        )
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--passages", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    docs = generate(args.passages, args.seed)
    lines = "\n".join(json.dumps(d, ensure_ascii=False) for d in docs)
    if args.out:
        args.out.write_text(lines + "\n", encoding="utf-8")
        print(f"{len(docs)} documents → {args.out}")
    else:
        print(
            f"{len(docs)} documents, {sum(d['text'].count(chr(10) * 2) + 1 for d in docs)} "
            "paragraphs (use --out to write them)"
        )


if __name__ == "__main__":
    main()
