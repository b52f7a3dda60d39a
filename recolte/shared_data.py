"""Where tests and benchmarks find the reference programme's data: `../shared/caac` beside the
checkout. The product never reads it (the demo ships its own data)."""

from pathlib import Path

CAAC = Path(__file__).resolve().parents[2] / "shared" / "caac"
