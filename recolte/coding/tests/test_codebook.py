"""Codebook verbs and the JSON exchange format."""

import json

import pytest
from django.core.exceptions import ValidationError

from recolte.coding.demo import load_demo_codebook
from recolte.coding.models import Code, Coding, Memo, Quote
from recolte.coding.services import codebook, coding_create, quote_mark
from recolte.coding.tests.helpers import code, version
from recolte.registry.models import Axis
from recolte.shared_data import CAAC

REFERENCE = CAAC / "codebook.json"


def test_add_generates_unique_keys_under_the_parent(world):
    parent = codebook.code_add(programme=world.programme, name="Pratiques")
    a = codebook.code_add(programme=world.programme, name="Se connaître", parent=parent)
    b = codebook.code_add(programme=world.programme, name="Se connaître", parent=parent)
    assert (a.key, b.key) == ("pratiques.se-connaitre", "pratiques.se-connaitre-2")
    assert a.colour == parent.colour and (a.order, b.order) == (0, 1)
    with pytest.raises(ValidationError):
        codebook.code_add(programme=world.programme, name="  ")


def test_move_refuses_cycles(world):
    root = code(world.programme, "r")
    child = code(world.programme, "r.c", root)
    grandchild = code(world.programme, "r.c.g", child)
    other = code(world.programme, "o")
    for parent in (root, child, grandchild):
        with pytest.raises(ValidationError):
            codebook.code_move(code=root, parent=parent)
    codebook.code_move(code=child, parent=other)
    assert Code.objects.get(pk=child.pk).parent == other
    codebook.code_move(code=child, parent=None)
    assert Code.objects.get(pk=child.pk).parent is None


def test_merge_moves_codings_and_collapses_duplicates(world):
    v = version(world.programme, "Une phrase assez longue pour coder deux fois.")
    source, target = code(world.programme, "s"), code(world.programme, "t")
    child = code(world.programme, "s.child", source)
    user = world.users["facilitator"]
    dup = coding_create(version=v, start=0, end=10, code=source, coder=user)
    quote_mark(coding=dup, person_name="Awa")
    coding_create(version=v, start=0, end=10, code=target, coder=user)
    coding_create(version=v, start=11, end=20, code=source, coder=user)
    Memo.objects.create(programme=world.programme, code=source, text="note")
    moved = codebook.code_merge(source=source, target=target)
    assert moved == 2
    assert not Code.objects.filter(pk=source.pk).exists()
    spans = sorted(Coding.objects.filter(code=target).values_list("start", "end"))
    assert spans == [(0, 10), (11, 20)]
    assert Quote.objects.get().coding.code == target  # the duplicate's quote survived
    assert Code.objects.get(pk=child.pk).parent == target
    assert Memo.objects.get().code == target


def test_merge_into_own_child_is_refused(world):
    root = code(world.programme, "r")
    child = code(world.programme, "r.c", root)
    with pytest.raises(ValidationError):
        codebook.code_merge(source=root, target=child)


def test_delete_reports_what_is_lost_and_waits_for_confirmation(world):
    v = version(world.programme, "Texte à coder pour la suppression.")
    root = code(world.programme, "r")
    child = code(world.programme, "r.c", root)
    code(world.programme, "r.c.g", child)
    user = world.users["facilitator"]
    kept = coding_create(version=v, start=0, end=5, code=child, coder=user)
    quote_mark(coding=kept, person_name="Awa")
    coding_create(version=v, start=6, end=8, code=root, coder=user)
    impact = codebook.code_delete(code=root)
    assert (len(impact.codes), impact.codings, impact.quotes, impact.deleted) == (3, 2, 1, False)
    assert Code.objects.count() == 3 and Coding.objects.count() == 2
    impact = codebook.code_delete(code=root, confirm=True)
    assert impact.deleted and not Code.objects.exists() and not Quote.objects.exists()


def test_reference_codebook_imports_and_round_trips(world):
    data = json.loads(REFERENCE.read_text())
    report = codebook.codebook_import(programme=world.programme, data=data)
    assert report.created == len(data["codes"]) == Code.objects.count()
    node = Code.objects.get(key="a1.s11.A.interconnaissance")
    assert node.parent.key == "a1.s11.A" and node.kind == Code.Kind.THEME
    assert node.parent.parent.parent.key == "a1"
    with_questions = next(c for c in data["codes"] if c["questions"])
    assert Code.objects.get(key=with_questions["id"]).question_list() == with_questions["questions"]
    assert Code.objects.get(key="a1").axis == Axis.objects.get(programme=world.programme, number=1)

    exported = codebook.codebook_export(world.programme)
    original = {c["id"]: c for c in data["codes"]}
    assert [c["id"] for c in exported["codes"]] == [c["id"] for c in data["codes"]]
    for item in exported["codes"]:
        source = original[item["id"]]
        for name in (
            "label",
            "parent",
            "kind",
            "questions",
            "children",
            "level",
            "is_leaf",
            "scope",
            "number",
            "n_passages",
        ):
            assert item[name] == source[name], (item["id"], name)

    # Into another programme and back out: the same file.
    codebook.codebook_import(programme=world.other_programme, data=exported)
    again = codebook.codebook_export(world.other_programme)
    assert again["codes"] == exported["codes"]
    # A second import updates in place.
    report = codebook.codebook_import(programme=world.programme, data=exported)
    assert (report.created, report.updated) == (0, len(data["codes"]))


@pytest.mark.parametrize(
    "codes",
    [
        [{"id": "a", "label": "A", "parent": "missing"}],
        [{"id": "a", "label": "A"}, {"id": "a", "label": "B"}],
        [{"id": "a", "parent": "b"}, {"id": "b", "parent": "a"}],
        [{"label": "no id"}],
    ],
)
def test_import_refuses_broken_files(world, codes):
    with pytest.raises(ValidationError):
        codebook.codebook_import(programme=world.programme, data={"codes": codes})
    assert not Code.objects.filter(programme=world.programme).exists()


def test_demo_codebook_is_idempotent_and_follows_the_axes(world):
    load_demo_codebook(world.programme)
    count = Code.objects.filter(programme=world.programme).count()
    report = load_demo_codebook(world.programme)
    assert report.created == 0 and Code.objects.count() == count
    kinds = set(Code.objects.values_list("kind", flat=True))
    assert {"axis", "section", "rubric", "theme", "subtheme"} <= kinds
    rubrics = Code.objects.filter(kind="rubric", parent__key="a1.s11")
    assert sorted(r.key.rsplit(".", 1)[1] for r in rubrics) == ["A", "B", "C"]
    assert all(c.description for c in Code.objects.filter(kind__in=["theme", "subtheme"]))
    assert Code.objects.get(key="a1").axis.number == 1
