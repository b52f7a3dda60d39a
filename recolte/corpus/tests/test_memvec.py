import numpy as np

from recolte.corpus.retrieval import memvec, tuning


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_inverted_lists_find_the_exact_neighbours(monkeypatch):
    monkeypatch.setattr(tuning, "MEMVEC_EXACT_MAX", 500)
    rng = np.random.default_rng(1)
    centres = unit(rng.normal(size=(30, 384)))
    vectors = unit(centres[rng.integers(0, 30, 3000)] + rng.normal(0, 0.05, (3000, 384)))
    ids = np.arange(10, 3010, dtype=np.int64)
    matrix = memvec.build("t", ids, vectors)
    assert matrix.centroids is not None and matrix.bounds[-1] == 3000
    for q in unit(centres[:5] + rng.normal(0, 0.05, (5, 384))):
        exact = ids[np.argsort(-(vectors @ q))[:10]]
        found = memvec.nearest(matrix, q, 10)
        assert [pk for pk, _ in found] == list(exact)
        assert all(a[1] >= b[1] for a, b in zip(found, found[1:], strict=False))


def test_exact_scan_for_small_programmes():
    vectors = unit(np.eye(4, 384, dtype=np.float32) + 0.01)
    matrix = memvec.build("t", np.array([7, 8, 9, 10]), vectors)
    assert matrix.centroids is None
    assert memvec.nearest(matrix, vectors[2], 2)[0][0] == 9


def test_stored_vectors_of_ids_in_any_row_order(monkeypatch):
    monkeypatch.setattr(tuning, "MEMVEC_EXACT_MAX", 50)
    rng = np.random.default_rng(2)
    ids = rng.permutation(np.arange(1, 200, dtype=np.int64) * 3)
    vectors = unit(rng.normal(size=(len(ids), 384)))
    matrix = memvec.build("t", ids, vectors)  # rows regrouped by list, ids out of order
    monkeypatch.setattr(memvec, "_load", lambda programme_id, token: matrix)
    selection = type("S", (), {"programme_id": 1, "vectors_token": "t"})()
    found = memvec.vectors(selection, [ids[5], 2, ids[40], 10**6])  # 2 and 10⁶ are unknown
    assert np.array_equal(found, vectors[[5, 40]])
