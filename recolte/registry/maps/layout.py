"""Positions of a network's nodes: a deterministic Fruchterman–Reingold force layout."""

import numpy as np

GRAVITY = 2.0  # pull towards the centre, in the same units as the unit-square layout
START_TEMPERATURE = 0.1  # the largest step of a node in the first iteration (unit square)
MIN_DISTANCE = 1e-3  # nodes closer than this repel as if this far (no division by zero)


def force_layout(
    n: int, edges: list[tuple[int, int, float]], *, iterations: int = 300, seed: int = 7
) -> np.ndarray:
    """Fruchterman–Reingold positions in the unit square, the same for the same input.

    `edges` are (index, index, weight). A pull towards the centre keeps isolated nodes near.
    """
    if n == 0:
        return np.zeros((0, 2))
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    k = np.sqrt(1.0 / n)
    src = np.array([e[0] for e in edges], dtype=int)
    dst = np.array([e[1] for e in edges], dtype=int)
    weight = np.array([e[2] for e in edges], dtype=float)
    temperature = START_TEMPERATURE
    cooling = temperature / (iterations + 1)
    for _step in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.maximum(np.linalg.norm(delta, axis=-1), MIN_DISTANCE)
        disp = (delta * (k * k / dist**2)[..., None]).sum(axis=1)
        if len(src):
            d = pos[src] - pos[dst]
            pull = d * (np.linalg.norm(d, axis=1) * np.sqrt(weight) / k)[:, None]
            np.add.at(disp, src, -pull)
            np.add.at(disp, dst, pull)
        disp -= (pos - 0.5) * GRAVITY
        length = np.maximum(np.linalg.norm(disp, axis=1), 1e-9)
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cooling
    span = pos.max(axis=0) - pos.min(axis=0)
    return np.where(span > 1e-9, (pos - pos.min(axis=0)) / np.where(span > 1e-9, span, 1), 0.5)
