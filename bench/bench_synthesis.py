"""The full cross-cutting report generated from the database for ~5,000 coded passages.

Unlike bench_report.py (the writers on a ready-made document), this measures the whole path:
evidence read from the database, drafts and centrality per node, then DOCX and PDF. The temp
SQLite database holds the reference programme's labelled passages imported `--copies` times.
Each format runs in a fresh process so its peak memory is its own. Targets: DOCX ≤ 5 s, PDF ≤ 15 s.

    .venv/bin/python bench/bench_synthesis.py [--copies 20] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CAAC = ROOT.parent / "shared" / "caac"
TARGETS = {"docx": 5.0, "pdf": 15.0}


def _setup(db: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recolte.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(db: Path, copies: int) -> dict:
    _setup(db)
    from django.core.management import call_command

    from recolte.registry.exchange import registry_import
    from recolte.synthesis.labelled import import_labelled, read_passages

    call_command("migrate", verbosity=0)
    registry_import(data=CAAC / "program.json", fmt="caac")
    rows = read_passages(CAAC / "passages_dev.jsonl")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(copies):
            path = Path(tmp) / f"copy{n}.jsonl"
            with path.open("w", encoding="utf-8") as out:
                for row in rows:
                    row = {**row, "id": f"{row['id']}-{n}"}
                    if row.get("box"):
                        row["box"] = {**row["box"], "id": f"{row['box']['id']}-{n}"}
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
            import_labelled(codebook_path=CAAC / "codebook.json", passages_path=path)
    from recolte.coding.models import Coding

    return {"passages": Coding.objects.count(), "import_seconds":
            round(time.perf_counter() - started, 1)}


def one(db: Path, fmt: str, out: Path | None) -> dict:
    _setup(db)
    from recolte.registry.models import Programme
    from recolte.synthesis.assemble import build_report
    from recolte.synthesis.report import render

    wall = time.perf_counter()
    document = build_report(Programme.objects.get(slug="caac"))
    assembled = time.perf_counter() - wall
    data = render(document, fmt)
    wall = time.perf_counter() - wall
    if out:
        (out / f"bench_synthesis.{fmt}").write_bytes(data)
    return {"format": fmt, "seconds": round(wall, 2), "assemble_seconds": round(assembled, 2),
            "bytes": len(data),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=20)
    ap.add_argument("--out", type=Path, help="keep the rendered files in this directory")
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--one", choices=sorted(TARGETS), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.db, args.one, args.out)))
        return 0
    missed = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        cmd = [sys.executable, "-c", f"import sys; sys.argv=['x']; sys.path.insert(0, "
               f"{str(Path(__file__).parent)!r}); import bench_synthesis as b, json; "
               f"print(json.dumps(b.build(__import__('pathlib').Path({str(db)!r}), "
               f"{args.copies})))"]
        built = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True,
                                          env={**os.environ, "TASKS_BACKEND":
                                               "django_tasks.backends.dummy.DummyBackend"}
                                          ).stdout.splitlines()[-1])
        print(f"{built['passages']} coded passages imported in {built['import_seconds']} s")
        for fmt, target in TARGETS.items():
            cmd = [sys.executable, __file__, "--one", fmt, "--db", str(db)]
            cmd += ["--out", str(args.out)] if args.out else []
            r = json.loads(subprocess.run(cmd, check=True, capture_output=True,
                                          text=True).stdout.splitlines()[-1])
            ok = r["seconds"] <= target
            missed += [] if ok else [fmt]
            print(f"{fmt}: {r['seconds']} s (of which assembly {r['assemble_seconds']} s; "
                  f"target ≤ {target} s {'OK' if ok else 'MISSED'}), peak RSS "
                  f"{r['peak_rss_mb']} MB, {r['bytes'] // 1024} KB")
    print(f"host load average {os.getloadavg()[0]:.1f}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
