"""Agreement statistics against hand-computed and textbook values."""

import pytest

from recolte.coding.agreement import (
    cohen_kappa,
    compute,
    krippendorff_alpha,
    paragraphs,
)
from recolte.coding.models import Assignment
from recolte.coding.services import coding_create
from recolte.coding.services import disagreement_settle as settle
from recolte.coding.tests.helpers import code, version

N = None


def test_cohen_kappa_textbook_example():
    # 50 items: yes/yes 20, yes/no 5, no/yes 10, no/no 15 -> po 0.7, pe 0.5, kappa 0.4.
    a = ["y"] * 25 + ["n"] * 25
    b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert cohen_kappa([1, 1, 0, 0], [1, 0, 0, 0]) == pytest.approx(0.5)
    assert cohen_kappa([1, 0], [1, 0]) == 1.0
    assert cohen_kappa([], []) is None


def test_krippendorff_alpha_textbook_example_with_missing_values():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 observers, 12 units,
    # nominal alpha = 0.743.
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
        [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
    ]
    assert krippendorff_alpha(data) == pytest.approx(0.743, abs=5e-4)


def test_krippendorff_alpha_by_hand():
    # Coincidences o00=4, o01=o10=1, o11=2; n0=5, n1=3, n=8:
    # alpha = 1 - 2 / ((64 - 25 - 9) / 7) = 1 - 14/30.
    assert krippendorff_alpha([[1, 1, 0, 0], [1, 0, 0, 0]]) == pytest.approx(1 - 14 / 30)
    # A unit with one value is not pairable and changes nothing.
    assert krippendorff_alpha([[1, 1, 0, 0, 1], [1, 0, 0, 0, N]]) == pytest.approx(1 - 14 / 30)
    assert krippendorff_alpha([[1, 1], [1, 1]]) == 1.0


def test_paragraph_units():
    text = "Un.\n\nDeux,\nsuite.\n\n\nTrois."
    assert [text[s:e] for s, e in paragraphs(text)] == ["Un.", "Deux,\nsuite.", "Trois."]
    lines = "a\nb\n"
    assert [lines[s:e] for s, e in paragraphs(lines)] == ["a", "b"]


def test_round_statistics_disagreements_and_settling(world):
    a, b = world.users["admin"], world.users["facilitator"]  # coders are taken in id order
    text = "Premier paragraphe.\n\nDeuxième paragraphe.\n\nTroisième.\n\nQuatrième."
    v = version(world.programme, text)
    x, y = code(world.programme, "x"), code(world.programme, "y")
    spans = paragraphs(text)
    for coder, decisions in ((a, [(0, x), (1, x), (2, y)]), (b, [(0, x), (2, y), (3, y)])):
        Assignment.objects.create(
            programme=world.programme, round="r1", resource=v.resource, coder=coder
        )
        for unit, c in decisions:
            start, end = spans[unit]
            coding_create(version=v, start=start + 1, end=end - 1, code=c, coder=coder)
    result = compute(world.programme, "r1")
    assert result.units == 4
    per = {r["code"].key: r for r in result.per_code}
    assert per["x"]["kappa"] == pytest.approx(0.5)
    assert per["x"]["alpha"] == pytest.approx(1 - 14 / 30)
    assert (per["y"]["both"], per["y"]["only_a"], per["y"]["only_b"]) == (1, 0, 1)
    assert result.kappa == pytest.approx(0.21875 / 0.46875)
    assert [(d.code.key, d.coder, d.unit) for d in result.disagreements] == [
        ("x", a, spans[1]),
        ("y", b, spans[3]),
    ]
    first = result.disagreements[0]
    settle(codings=first.codings, accept=True, other=b, by=a)
    second = result.disagreements[1]
    settle(codings=second.codings, accept=False, other=a, by=a)
    result = compute(world.programme, "r1")
    assert result.kappa == 1.0 and result.alpha == 1.0 and not result.disagreements
