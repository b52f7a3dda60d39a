"""A Report built from the reference programme's labelled passages (../shared/caac), scaled by
repeating them: the way the synthesis layer will assemble one, without the database. Used by
bench_report.py and to look at a realistic PDF."""

from __future__ import annotations

import itertools
import json
import sys
import zlib
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from recolte.shared_data import CAAC  # noqa: E402
from recolte.synthesis.report import (  # noqa: E402
    Attribution,
    Box,
    Chart,
    Coverage,
    Node,
    Quote,
    Report,
    Series,
    Table,
)

NATURES = ("Associations", "Collectivités", "Acteurs marchands", "Syndicats")
INSTRUMENTS = {"carnet_de_route": "Carnet de route", "reunion_in_situ": "Réunion in situ"}
ANALYSIS_PARAGRAPHS = 4  # a facilitator's analysis does not grow with the evidence
PASSAGES_PER_QUOTE = 6  # representative quotes: about one in six passages, at most 8
MAX_QUOTES = 8


def _load(name: str):
    path = CAAC / name
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.open(encoding="utf-8")]
    return json.loads(path.read_text(encoding="utf-8"))


def _nature(org: str) -> str:
    return NATURES[zlib.crc32(org.encode()) % len(NATURES)]


def caac_report(copies: int = 1, every_passage: bool = False) -> tuple[Report, int]:
    """The report and the number of coded passages it stands for (251 × copies)."""
    book, programme = _load("codebook.json"), _load("program.json")
    passages = _load("passages_dev.jsonl") * copies
    quotes = _load("quotes_dev.jsonl")
    by_code: dict[str, list[dict]] = defaultdict(list)
    for p in passages:
        by_code[p["code"]].append(p)
    quotes_by_code: dict[str, list[dict]] = defaultdict(list)
    for q in quotes:
        quotes_by_code[q["code"]].append(q)
    text_of = {p["id"]: p["text"] for p in passages}
    boxes_by_code: dict[str, list[dict]] = defaultdict(list)
    for b in book["boxes"]:
        boxes_by_code[b["code"]].append(b)
    codes = {c["id"]: c for c in book["codes"]}

    cited: set[str] = set()
    empty: list[str] = []

    def node(code: dict, index: int) -> Node:
        own = by_code.get(code["id"], [])
        prose = [p["text"] for p in own if p["kind"] in ("paragraph", "list")]
        if not every_passage:
            prose = prose[:ANALYSIS_PARAGRAPHS]
        orgs = sorted({o for p in own for o in p["orgs"]})
        cited.update(orgs)
        n_quotes = min(MAX_QUOTES, max(1, len(own) // PASSAGES_PER_QUOTE)) if own else 0
        pool = [(q["text"], q["attribution"]) for q in quotes_by_code.get(code["id"], [])]
        pool += [(p["text"], p["attribution"]) for p in own if p["kind"] == "quote"]
        picked = pool if every_passage else list(itertools.islice(itertools.cycle(pool), n_quotes))
        number = code["number"] or ""
        if code["kind"] == "axis":
            number = ""
        elif len(number) == 1 and number.isalpha():
            number += "."
        elif number.isdigit() and code["kind"] != "section":
            number += ")"
        if not own and code["is_leaf"] and code["scope"] == "analysis":
            empty.append(code["label"])
        return Node(
            level=code["level"] + 1,
            number=number,
            title=code["label"],
            key=code["id"],
            questions=code["questions"],
            analysis_markdown="\n\n".join(prose),
            is_draft=index % 3 == 0,
            examples=orgs[:12],
            quotes=[Quote(t, _attribution(a)) for t, a in picked],
            boxes=[
                Box(
                    b["title"],
                    INSTRUMENTS.get(b["instrument"], "Zoom sur"),
                    [text_of[p] for p in b["passages"] if p in text_of],
                )
                for b in boxes_by_code.get(code["id"], [])
            ],
            coverage_notes=["Aucun passage codé sous cette rubrique."]
            if not own and code["is_leaf"] and code["scope"] == "analysis"
            else [],
            children=[node(codes[c], index * 7 + i) for i, c in enumerate(code["children"])],
        )

    roots = [node(c, i) for i, c in enumerate(c for c in book["codes"] if c["parent"] is None)]
    prog = programme["programme"]
    members = [m["canonical"] for m in programme["members"]["listed_normalised"]]
    instruments = [
        (i["name"], sum(v for v in i["counts"].values() if isinstance(v, int)))
        for i in programme["instruments"]
        if i["counts"]
    ]
    countries: dict[str, int] = defaultdict(int)
    for op in programme["pilot_operations"]:
        for c in op["countries"]:
            countries[c] += 1
    sections = [c for c in book["codes"] if c["kind"] == "section" and c["scope"] == "analysis"]

    def nature_counts(nature: str) -> tuple[float, ...]:
        out = []
        for s in sections:
            ps = [p for p in passages if p["code"].startswith(s["id"] + ".")]
            out.append(float(sum(1 for p in ps for o in p["orgs"] if _nature(o) == nature)))
        return tuple(out)

    report = Report(
        title=f"Analyse transversale de capitalisation du programme {prog['acronym']}",
        subtitle=prog["name"],
        programme_facts=[
            ("Programme", f"{prog['name']} ({prog['acronym']})"),
            ("Période", prog["period"]),
            ("Budget", prog["budget_as_written"]),
            ("Partenaires", ", ".join(f["acronym"] or f["name"] for f in prog["funders_partners"])),
            ("Membres", f"{len(members)} organisations"),
            ("Passages codés", f"{len(passages):,}".replace(",", "\u202f")),
        ],
        device_figures=[
            Table(
                "Ressources par instrument",
                ["Instrument", "Ressources"],
                [[n, str(v)] for n, v in instruments],
            ),
            Table(
                "Réponses par campagne",
                ["Campagne", "Réponses"],
                [
                    ["Carnet de route n°1", "9"],
                    ["Carnet de route n°2", "8"],
                    ["Carnet de route n°3", "9"],
                    ["Questions ponctuelles", "35"],
                ],
            ),
        ],
        charts=[
            Chart(
                "Passages codés par nature d’organisation",
                tuple(s["label"] for s in sections),
                tuple(Series(n, nature_counts(n)) for n in NATURES),
                value_label="Mentions d’organisations",
            ),
            Chart(
                "Ressources par instrument",
                tuple(n for n, _ in instruments),
                (Series("Ressources", tuple(float(v) for _, v in instruments)),),
            ),
            Chart(
                "Opérations pilotes par pays",
                tuple(countries),
                (Series("Opérations pilotes", tuple(float(v) for v in countries.values())),),
            ),
        ],
        sections=roots,
        coverage=Coverage(empty, sorted(set(members) - cited)),
    )
    return report, len(passages)


def _attribution(raw: dict | None) -> Attribution | None:
    if not raw:
        return None
    return Attribution(
        person=raw.get("person") or "", org=raw.get("org") or "", country=raw.get("country") or ""
    )
