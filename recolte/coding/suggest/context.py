"""Document context: neighbouring passages of one document usually sit under the same heading.

A report is written in runs: consecutive passages share their section, and often their theme.
Each passage's distribution over a level's units is blended with its neighbours' (weight
``weight ** distance`` up to ``width`` passages away) and the code scores are rescaled to match.
Only scores are shared, never labels, so this works on uncoded documents.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np


def neighbour_blend(units: np.ndarray, weight: float, width: int) -> np.ndarray:
    """Rows in document order; each row plus its neighbours' rows weighted by distance."""
    out = units.copy()
    for d in range(1, min(width, len(units) - 1) + 1):
        out[d:] += weight**d * units[:-d]
        out[:-d] += weight**d * units[d:]
    return out / out.sum(axis=1, keepdims=True)


def rescale_by_context(
    scores: np.ndarray, member: np.ndarray, weight: float, width: int
) -> np.ndarray:
    """Move each code's mass in proportion to its unit's context-blended share.

    ``scores`` (passages × codes) rows sum to one; ``member`` maps codes to the level's units.
    """
    if weight <= 0 or width <= 0 or len(scores) < 2:
        return scores
    units = scores @ member
    ratio = neighbour_blend(units, weight, width) / np.maximum(units, 1e-12)
    out = scores * (ratio @ member.T)
    return out / out.sum(axis=1, keepdims=True)


def runs(documents: Sequence[Hashable]) -> list[np.ndarray]:
    """Row indices of each document, in their given order (a document's passages in sequence)."""
    groups: dict[Hashable, list[int]] = {}
    for i, doc in enumerate(documents):
        groups.setdefault(doc, []).append(i)
    return [np.array(rows) for rows in groups.values()]
