"""Document context: neighbouring passages of one document usually sit under the same heading.

A report is written in runs: consecutive passages share their section, and often their theme.
Each passage's distribution over a level's units is blended with its neighbours' (weight
``weight ** distance`` up to ``width`` passages away) and the code scores are rescaled to match.
Only scores are shared, never labels, so this works on uncoded documents. Blending passages that
are not in reading order would hurt badly (section top-1 0.69 → 0.53 in CV with shuffled test
passages), so it is applied only where neighbours agree more than a random order would explain.
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


def _adjacent_agreement(units: np.ndarray) -> float:
    return float(np.sum(units[1:] * units[:-1]))


def looks_ordered(units: np.ndarray, permutations: int = 500, alpha: float = 0.01) -> bool:
    """Permutation test: do adjacent rows agree more than in a random order of the same rows?"""
    if len(units) < 4:
        return False
    observed = _adjacent_agreement(units)
    rng = np.random.default_rng(0)  # fixed: the same input always gets the same decision
    null = [_adjacent_agreement(units[rng.permutation(len(units))]) for _ in range(permutations)]
    return (1 + sum(v >= observed for v in null)) / (1 + permutations) <= alpha


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
