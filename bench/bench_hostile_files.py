"""Hostile files benchmark: peak memory and time of `extract()` on the files of issue 13.

Each file is built once, then extracted in a fresh process so its peak RSS is its own:
a DOCX whose member declares 4 KiB but inflates to 2 GiB, a DOCX holding ~157 MB of XML,
a DOCX and an ODT just under their XML budgets, HTML with 200,000 nested <div> and a DOCX
with 2,000 nested tables.

    .venv/bin/python bench/bench_hostile_files.py [--only NAME]
"""

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recolte.settings")
# Nothing is signed here; the settings only refuse to start without some key.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))

CASES = {
    "bomb-2GiB.docx": ("lying_bomb_docx", 2047),
    "xml-157MB.docx": ("big_xml_docx", 157),
    "xml-16MB.docx": ("big_xml_docx", 16),  # just under the budget: the costliest accepted
    "xml-10MB.odt": ("big_xml_odt", 10.5),  # the same for ODT, whose budget is lower
    "nested-200k.html": ("nested_html", 200_000),
    "tables-2000.docx": ("nested_tables_docx", 2000),
}
# Runs in a fresh interpreter. The peak is reset after the parsers are imported (Linux
# clear_refs), so "extra RSS" is the high-water mark of extract() above the RSS before it.
MEASURE = """
import re, sys, time
import django
django.setup()
from recolte.collection.ingest import IngestError, extract
def rss(field):
    status = open("/proc/self/status").read()
    return int(re.search(field + r":\\s+(\\d+)", status).group(1)) // 1024
data = open(sys.argv[1], "rb").read()
with open("/proc/self/clear_refs", "w") as refs:
    refs.write("5")
before = rss("VmRSS")
wall, cpu = time.perf_counter(), time.process_time()
try:
    outcome = f"accepted, {len(extract(data, sys.argv[1]).text):,} characters"
except IngestError as error:
    outcome = f"refused ({error.code})"
print(f"{time.perf_counter() - wall:.1f} {time.process_time() - cpu:.1f} "
      f"{rss('VmHWM') - before} {outcome}")
"""


def build(folder: Path, name: str) -> Path:
    import django

    django.setup()
    from recolte.collection.tests import hostile

    builder, size = CASES[name]
    path = folder / name
    path.write_bytes(getattr(hostile, builder)(size))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--only", choices=sorted(CASES))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="recolte-bench-hostile-") as tmp:
        print(f"{'file':<18} {'size':>9} {'wall':>7} {'cpu':>7} {'extra RSS':>10}  outcome")
        for name in [args.only] if args.only else CASES:
            path = build(Path(tmp), name)
            done = subprocess.run(
                [sys.executable, "-c", MEASURE, str(path)],
                capture_output=True,
                text=True,
                cwd=ROOT,
                timeout=900,
            )
            if done.returncode:
                print(f"{name:<18} failed: {done.stderr[-500:]}")
                continue
            wall, cpu, extra, outcome = done.stdout.split(" ", 3)
            size = f"{path.stat().st_size / 1024 / 1024:.1f} MB"
            print(f"{name:<18} {size:>9} {wall:>6}s {cpu:>6}s {extra:>7} MB  {outcome.strip()}")


if __name__ == "__main__":
    main()
