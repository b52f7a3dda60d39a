"""Write N mixed documents for the import benchmark, and optionally time `extract()` on them.

Mix: ~60% DOCX, 20% TXT/Markdown, 10% PDF (WeasyPrint, embedded fonts like real reports),
5% HTML, 5% SRT/EML; each 1–5 pages of French text. Sentences come from the CAAC development
passages when present (read at run time, never stored here), else from a built-in generator.

    .venv/bin/python bench/gen_files.py --n 1000 --out /tmp/files [--measure] [--seed 7]
    .venv/bin/python bench/gen_files.py --out /tmp/files --measure-only
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from email.message import EmailMessage
from html import escape
from pathlib import Path

from recolte.shared_data import CAAC

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PASSAGES = CAAC / "passages_dev.jsonl"
PAGE_CHARS = 2600  # about one A4 page of body text
MIX = (("docx", 60), ("txt", 12), ("md", 8), ("pdf", 10), ("html", 5), ("srt", 3), ("eml", 2))

SUBJECTS = (
    "Les groupements de productrices",
    "L’équipe du projet",
    "Le comité de gestion du forage",
    "Les élus de la commune",
    "Chaque coopérative membre",
    "Le partenaire malien",
    "Les animatrices de terrain",
    "La fédération des éleveurs",
    "Un jeune entrepreneur",
)
VERBS = (
    "a renforcé",
    "a négocié",
    "présente",
    "a progressivement transformé",
    "évalue",
    "documente",
    "a mis en place",
    "remet en question",
    "a partagé",
)
OBJECTS = (
    "la gestion de la caisse d’épargne",
    "les règles d’accès à l’eau",
    "le calendrier des récoltes",
    "la relation avec les services techniques",
    "le prix de vente du karité",
    "les outils de suivi des changements",
    "la place des femmes dans les décisions",
)
ENDINGS = (
    "depuis la deuxième année du programme",
    "malgré la saison des pluies",
    "grâce aux échanges entre pairs",
    "avec l’appui de l’ONG partenaire",
    "selon les témoignages recueillis à Ségou",
    "lors de l’atelier de capitalisation",
    "ce qui a surpris les participants",
    "sans financement supplémentaire",
)
SPEAKERS = ("Awa", "Moussa", "Fatoumata", "Ibrahim", None)


def own_sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(ENDINGS)}."
    )


def load_sentences() -> list[str]:
    if not PASSAGES.exists():
        return []
    sentences = []
    for line in PASSAGES.open(encoding="utf-8"):
        for piece in re.split(r"(?<=[.!?])\s+", json.loads(line)["text"]):
            if 40 <= len(piece) <= 400:
                sentences.append(piece.strip())
    return sentences


class Writer:
    def __init__(self, rng: random.Random, sentences: list[str]) -> None:
        self.rng = rng
        self.sentences = sentences

    def sentence(self) -> str:
        if self.sentences and self.rng.random() < 0.7:
            return self.rng.choice(self.sentences)
        return own_sentence(self.rng)

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 6)))

    def sections(self, pages: int) -> list[tuple[str, list[str]]]:
        """(heading, paragraphs) until about `pages` pages of text."""
        out, size = [], 0
        while size < pages * PAGE_CHARS:
            paragraphs = [self.paragraph() for _ in range(self.rng.randint(2, 4))]
            size += sum(map(len, paragraphs))
            out.append((f"{len(out) + 1}. {own_sentence(self.rng)[:-1]}", paragraphs))
        return out


def make_docx(w: Writer, title: str, sections: list) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.add_heading(title, level=1)
    for heading, paragraphs in sections:
        document.add_heading(heading, level=2)
        for text in paragraphs:
            document.add_paragraph(text)
        if w.rng.random() < 0.3:
            for _ in range(3):
                document.add_paragraph(own_sentence(w.rng), style="List Bullet")
        if w.rng.random() < 0.15:
            table = document.add_table(rows=3, cols=3)
            for row in table.rows:
                for cell in row.cells:
                    cell.text = w.rng.choice(OBJECTS)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_html(title: str, sections: list) -> str:
    body = "".join(
        f"<h2>{escape(h)}</h2>" + "".join(f"<p>{escape(p)}</p>" for p in ps) for h, ps in sections
    )
    return (
        f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{escape(title)}'
        f"</title><style>body{{font-family:sans-serif}}</style></head><body><h1>{escape(title)}"
        f"</h1>{body}</body></html>"
    )


def make_text(w: Writer, title: str, sections: list, markdown: bool) -> bytes:
    lines = [f"# {title}" if markdown else title.upper()]
    for heading, paragraphs in sections:
        lines += [f"## {heading}" if markdown else heading, *paragraphs]
    text = "\n\n".join(lines) + "\n"
    encoding = w.rng.choices(("utf-8", "cp1252", "utf-8-sig"), (70, 25, 5))[0]
    if encoding == "cp1252":
        text = text.encode("cp1252", errors="replace").decode("cp1252")
    return text.replace("\n", "\r\n" if encoding == "cp1252" else "\n").encode(encoding)


def make_srt(w: Writer, sections: list) -> bytes:
    cues, start = [], 0
    for number, text in enumerate((p for _, ps in sections for p in ps), start=1):
        speaker = w.rng.choice(SPEAKERS)
        end = start + w.rng.randint(2000, 9000)
        cues.append(
            f"{number}\n{_srt_time(start)} --> {_srt_time(end)}\n"
            f"{speaker + ': ' if speaker else ''}{text}\n"
        )
        start = end + 200
    return "\n".join(cues).encode("utf-8")


def _srt_time(ms: int) -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def make_eml(w: Writer, title: str, sections: list) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Equipe terrain <terrain@example.org>"
    msg["To"] = "capitalisation@example.org"
    msg["Subject"] = title
    msg["Date"] = "Mon, 02 Mar 2026 08:30:00 +0000"
    msg.set_content("\n\n".join(p for _, ps in sections for p in ps))
    if w.rng.random() < 0.5:
        msg.add_attachment(
            b"annexe " * 200, maintype="application", subtype="octet-stream", filename="annexe.bin"
        )
    return msg.as_bytes()


def generate(n: int, out: Path, seed: int) -> Counter:
    rng = random.Random(seed)
    w = Writer(rng, load_sentences())
    kinds = [k for k, share in MIX for _ in range(share)]
    pdf_html: list[tuple[Path, str]] = []
    written: Counter = Counter()
    out.mkdir(parents=True, exist_ok=True)
    for index in range(n):
        kind = kinds[index * len(kinds) // n] if n >= len(kinds) else rng.choice(kinds)
        title = own_sentence(rng)[:-1]
        sections = w.sections(rng.randint(1, 5))
        path = out / f"doc{index:05d}.{kind}"
        if kind == "docx":
            path.write_bytes(make_docx(w, title, sections))
        elif kind in ("txt", "md"):
            path.write_bytes(make_text(w, title, sections, kind == "md"))
        elif kind == "html":
            path.write_text(make_html(title, sections), encoding="utf-8")
        elif kind == "srt":
            path.write_bytes(make_srt(w, sections))
        elif kind == "eml":
            path.write_bytes(make_eml(w, title, sections))
        else:
            pdf_html.append((path, make_html(title, sections)))
        written[kind] += 1
    if pdf_html:
        from weasyprint import HTML

        for path, markup in pdf_html:
            HTML(string=markup).write_pdf(path)
    return written


def measure(folder: Path) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recolte.settings")
    import django

    django.setup()
    from recolte.collection.ingest import IngestError, extract

    files = [(p.name, p.read_bytes()) for p in sorted(folder.iterdir()) if p.is_file()]
    # CPU time is reported next to wall time: on a shared machine only the former is stable.
    cpu: dict[str, float] = defaultdict(float)
    counts: Counter = Counter()
    errors: Counter = Counter()
    started, cpu_started = time.perf_counter(), time.process_time()
    for name, data in files:
        kind = name.rsplit(".", 1)[-1]
        tick = time.process_time()
        try:
            extract(data, name)
        except IngestError as exc:
            errors[f"{kind}:{exc.code}"] += 1
        cpu[kind] += time.process_time() - tick
        counts[kind] += 1
    wall, cpu_total = time.perf_counter() - started, time.process_time() - cpu_started
    return {
        "files": len(files),
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu_total, 2),
        "files_per_wall_s": round(len(files) / wall, 1),
        "files_per_cpu_s": round(len(files) / cpu_total, 1),
        "per_format_files_per_cpu_s": {k: round(counts[k] / cpu[k], 1) for k in sorted(counts)},
        "counts": dict(counts),
        "errors": dict(errors),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--measure", action="store_true", help="time extract() afterwards")
    parser.add_argument("--measure-only", action="store_true", help="time existing files")
    args = parser.parse_args()
    if not args.measure_only:
        tick = time.perf_counter()
        written = generate(args.n, args.out, args.seed)
        print(
            json.dumps(
                {"generated": dict(written), "seconds": round(time.perf_counter() - tick, 1)}
            )
        )
    if args.measure or args.measure_only:
        print(json.dumps(measure(args.out), ensure_ascii=False))


if __name__ == "__main__":
    main()
