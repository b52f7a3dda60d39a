"""Cross-validation of code suggestions on the reference report (CAAC development split).

Usage: .venv/bin/python bench/cv_autocode.py [--seeds 0,1,2] [--curve] [--data DIR]
The same as `recolte eval-autocode --cv 5 --shuffle` with the CAAC files filled in; vectors are
cached in var/ so that reruns only pay for the models, not the embeddings.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recolte.settings")


def main() -> None:
    import django
    from django.core.management import call_command

    from recolte.shared_data import CAAC

    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(CAAC))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seeds", default="0")
    parser.add_argument("--curve", action="store_true", help="the learning curve instead")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    django.setup()
    data = Path(args.data)
    options = {
        "codebook": str(data / "codebook.json"),
        "passages": str(data / "passages_dev.jsonl"),
        "cv": args.folds,
        "seeds": args.seeds,
        "shuffle": True,
        "curve": args.curve,
        "json": args.json,
        "vectors_cache": str(ROOT / "var" / "autocode_vectors.pkl"),
    }
    call_command("eval_autocode", **options)


if __name__ == "__main__":
    main()
