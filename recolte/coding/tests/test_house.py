"""The coding room's house rules: one place for a coding's memo, who codes is the policy's."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from recolte.access import policy
from recolte.access.models import Role
from recolte.coding.models import Assignment, Coding
from recolte.coding.selectors import coders
from recolte.coding.services import assignments_add, code_merge, coding_create
from recolte.coding.tests.helpers import code, version

BEFORE = [("coding", "0003_suggestion_model_file")]
AFTER = [("coding", "0004_memo_one_place_per_coding")]


@pytest.mark.django_db(transaction=True)
def test_migration_moves_memos_on_codings_into_the_coding(world):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Code, Coding_, Memo = (old.get_model("coding", n) for n in ("Code", "Coding", "Memo"))
    Resource, Version = (
        old.get_model("collection", "Resource"),
        old.get_model("collection", "ResourceVersion"),
    )
    resource = Resource.objects.create(programme_id=world.programme.pk, title="R")
    text_version = Version.objects.create(resource=resource, number=1, text="Un texte à coder.")
    c = Code.objects.create(programme_id=world.programme.pk, key="k", name="k")
    coding = Coding_.objects.create(version=text_version, start=0, end=5, code=c, memo="mien")
    for text in ("premier", "second"):
        Memo.objects.create(programme_id=world.programme.pk, coding=coding, text=text)
    Memo.objects.create(programme_id=world.programme.pk, code=c, text="sur le code")
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    assert new.get_model("coding", "Coding").objects.get(pk=coding.pk).memo == (
        "mien\n\npremier\n\nsecond"
    )
    assert list(new.get_model("coding", "Memo").objects.values_list("text", flat=True)) == [
        "sur le code"
    ]


def test_merge_keeps_the_memo_of_a_collapsed_duplicate(world):
    v = version(world.programme, "Une phrase assez longue pour coder deux fois.")
    source, target = code(world.programme, "s"), code(world.programme, "t")
    user = world.users["facilitator"]
    coding_create(version=v, start=0, end=10, code=source, coder=user, memo="à garder")
    kept = coding_create(version=v, start=0, end=10, code=target, coder=user, memo="cible")
    code_merge(source=source, target=target)
    assert Coding.objects.get().pk == kept.pk
    assert Coding.objects.get().memo == "cible\n\nà garder"


def test_coders_are_whom_the_policy_lets_code(world, monkeypatch):
    team = world.users["team"]
    assert team not in coders(world.programme)
    grants = {**policy.ROLE_ACTIONS, Role.TEAM: policy.ROLE_ACTIONS[Role.TEAM] | {"code"}}
    monkeypatch.setattr(policy, "ROLE_ACTIONS", grants)
    assert team in coders(world.programme)
    assert world.users["facilitator"] in coders(world.programme)
    assert world.users["reader"] not in coders(world.programme)


def test_assignments_add_keeps_each_once(world):
    v = version(world.programme, "Texte.")
    pair = [world.users["admin"], world.users["facilitator"]]
    for _ in range(2):
        name = assignments_add(
            programme=world.programme, round=" r1 ", resources=[v.resource], coders=pair
        )
    assert name == "r1" and Assignment.objects.filter(round="r1").count() == 2


def test_the_coding_page_saves_its_memo(client, world):
    v = version(world.programme, "Un texte à coder.")
    c = code(world.programme, "k")
    coding = coding_create(version=v, start=0, end=5, code=c, coder=world.users["admin"])
    client.force_login(world.users["facilitator"])
    url = reverse("coding:coding_detail", args=["prog", coding.pk])
    client.post(url, {"action": "memo", "text": "  relu  "})
    assert Coding.objects.get().memo == "relu"
