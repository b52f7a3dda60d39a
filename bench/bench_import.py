"""Import benchmark: 1,000 generated documents through `recolte import` on a fresh SQLite DB.

Prints files/s, CPU time and the import's peak memory (largest single process, workers
included); the target is >= 20 files/s.

    .venv/bin/python bench/bench_import.py [--n 1000] [--files DIR (reuse generated files)]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TARGET = 20.0
# Runs the import as this wrapper's only child, so RUSAGE_CHILDREN is the import's own peak.
MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = usage.ru_utime + usage.ru_stime
print(f"{done.returncode} {time.perf_counter() - started} {usage.ru_maxrss} {cpu}")
sys.stdout.write(done.stdout)
sys.stderr.write(done.stderr[-2000:])
"""
SETUP = """
import django
django.setup()
from recolte.registry.models import Programme
Programme.objects.create(slug="bench", name="Benchmark", start_year=2024, end_year=2026)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--files", type=Path, help="a folder of already generated files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="recolte-bench-import-") as tmp:
        work = Path(tmp)
        files = args.files or work / "files"
        if not args.files:
            tick = time.perf_counter()
            subprocess.run(
                [
                    PYTHON,
                    str(ROOT / "bench" / "gen_files.py"),
                    "--n",
                    str(args.n),
                    "--out",
                    str(files),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            print(f"generated {args.n} files in {time.perf_counter() - tick:.0f} s")
        env = {
            **os.environ,
            "RECOLTE_DATA": str(work / "data"),
            "MEDIA_ROOT": str(work / "data" / "media"),
            "DJANGO_SETTINGS_MODULE": "recolte.settings",
        }
        env.pop("DATABASE_URL", None)  # always a fresh SQLite file
        (work / "data").mkdir()
        manage = [PYTHON, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], check=True, env=env, cwd=ROOT)
        subprocess.run([PYTHON, "-c", SETUP], check=True, env=env, cwd=ROOT)
        command = [*manage, "import", str(files), "--programme", "bench", "--json"]
        done = subprocess.run(
            [PYTHON, "-c", MEASURE, *command],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        head, _, report_text = done.stdout.partition("\n")
        code, seconds, peak_kb, cpu = head.split()
        if code != "0":
            sys.exit(f"import failed:\n{done.stderr}")
        report = json.loads(report_text)
    rate = report["files"] / float(seconds)
    failures = report["failed"]
    print(
        json.dumps(
            {
                "files": report["files"],
                "imported": report["imported"],
                "duplicates": report["duplicates"],
                "held_for_review": report["held_for_review"],
                "failed": len(failures),
                "wall_s": round(float(seconds), 1),
                "files_per_s": round(rate, 1),
                # CPU time of the import and its workers: stable when the machine is shared.
                "cpu_s": round(float(cpu), 1),
                "files_per_cpu_s": round(report["files"] / float(cpu), 1),
                "load_average_1min": round(os.getloadavg()[0], 1),
                "peak_rss_mb": round(int(peak_kb) / 1024, 1),
                "target_files_per_s": TARGET,
                "target_met": rate >= TARGET,
            }
        )
    )
    for failure in failures[:10]:
        print(f"  failed: {failure['file']}: {failure['reason']}")


if __name__ == "__main__":
    main()
