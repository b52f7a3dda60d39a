"""The full cross-cutting report generated from the database for ~5,000 coded passages.

Unlike bench_report.py (the writers on a ready-made document), this measures the whole path:
evidence read from the database, drafts and centrality per node, then DOCX and PDF. The temp
SQLite database holds the reference programme's labelled passages imported `--copies` times.
Each format runs in a fresh process so its peak memory is its own. Targets: DOCX ≤ 5 s, PDF ≤ 15 s.
Wall time depends on what else runs on the host: each run also prints its CPU time (this process
and the PDF's worker processes) and the load average.

    .venv/bin/python bench/bench_synthesis.py [--copies 20] [--out DIR] [--repeat N] [--db FILE]

`--db FILE` keeps the imported database in FILE and reuses it on the next run.
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

from recolte.shared_data import CAAC

ROOT = Path(__file__).resolve().parents[1]
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

    return {
        "passages": Coding.objects.count(),
        "import_seconds": round(time.perf_counter() - started, 1),
    }


def one(db: Path, fmt: str, out: Path | None) -> dict:
    _setup(db)
    from recolte.registry.models import Programme
    from recolte.synthesis.assemble import build_report
    from recolte.synthesis.report import render

    load, wall, cpu = os.getloadavg()[0], time.perf_counter(), _cpu()
    document = build_report(Programme.objects.get(slug="caac"))
    assembled = time.perf_counter() - wall
    data = render(document, fmt)
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    if out:
        (out / f"bench_synthesis.{fmt}").write_bytes(data)
    return {
        "format": fmt,
        "seconds": round(wall, 2),
        "assemble_seconds": round(assembled, 2),
        "cpu_seconds": round(cpu, 2),
        "load": round((load + os.getloadavg()[0]) / 2, 1),
        "bytes": len(data),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }


def _cpu() -> float:
    """User + system CPU of this process and of its finished children (the PDF workers)."""
    own, kids = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=20)
    ap.add_argument("--out", type=Path, help="keep the rendered files in this directory")
    ap.add_argument("--db", type=Path, help="keep the imported database here and reuse it")
    ap.add_argument("--repeat", type=int, default=1, help="runs per format")
    ap.add_argument("--one", choices=sorted(TARGETS), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.db, args.one, args.out)))
        return 0
    missed = []
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.sqlite3"
        if not db.exists():
            _import(db, args.copies)
        for fmt, target in TARGETS.items():
            for _ in range(args.repeat):
                cmd = [sys.executable, __file__, "--one", fmt, "--db", str(db)]
                cmd += ["--out", str(args.out)] if args.out else []
                r = json.loads(
                    subprocess.run(
                        cmd, check=True, capture_output=True, text=True
                    ).stdout.splitlines()[-1]
                )
                ok = r["seconds"] <= target
                missed += [] if ok else [fmt]
                print(
                    f"{fmt}: {r['seconds']} s (of which assembly {r['assemble_seconds']} s; "
                    f"target ≤ {target} s {'OK' if ok else 'MISSED'}), CPU {r['cpu_seconds']} s"
                    f" at host load {r['load']}, peak RSS {r['peak_rss_mb']} MB, "
                    f"{r['bytes'] // 1024} KB",
                    flush=True,
                )
    return 1 if missed else 0


def _import(db: Path, copies: int) -> None:
    cmd = [
        sys.executable,
        "-c",
        f"import sys; sys.argv=['x']; sys.path.insert(0, "
        f"{str(Path(__file__).parent)!r}); import bench_synthesis as b, json; "
        f"print(json.dumps(b.build(__import__('pathlib').Path({str(db)!r}), {copies})))",
    ]
    built = json.loads(
        subprocess.run(
            cmd,
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend"},
        ).stdout.splitlines()[-1]
    )
    print(f"{built['passages']} coded passages imported in {built['import_seconds']} s")


if __name__ == "__main__":
    sys.exit(main())
