"""Hostile codebook input: odd JSON types, deep nesting and colours give messages, never 500s."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recolte.coding.models import Code
from recolte.coding.services import codebook
from recolte.coding.tests.helpers import code

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
ITEM = st.fixed_dictionaries(
    {},
    optional={
        k: JSON
        for k in (
            "id",
            "label",
            "parent",
            "kind",
            "order",
            "colour",
            "questions",
            "description",
            "number",
            "codable",
        )
    },
)


def _upload(client, raw: bytes):
    upload = SimpleUploadedFile("codebook.json", raw, content_type="application/json")
    return client.post(reverse("coding:codebook_import", args=["prog"]), {"file": upload})


@pytest.mark.parametrize(
    "doc",
    [
        [1, 2],
        {"codes": {"id": "a"}},
        {"codes": [None]},
        {"codes": [{"id": None}]},
        {"codes": [{"id": ["a"]}]},
        {"codes": [{"id": "a", "colour": "#12345g"}]},
        {"codes": [{"id": "a", "colour": "red;}x"}]},
    ],
)
def test_odd_documents_are_refused_with_a_message(client, world, doc):
    client.force_login(world.users["facilitator"])
    response = _upload(client, json.dumps(doc).encode())
    assert response.status_code == 302
    assert not Code.objects.filter(programme=world.programme).exists()


def test_numbers_as_names_and_odd_fields_are_read(world):
    doc = {
        "codes": [
            {
                "id": 12,
                "label": 3.5,
                "order": "x",
                "questions": [1, None, "q"],
                "parent": ["b"],
                "kind": ["axis"],
            },
            {"id": "b", "parent": 12, "order": 10**30, "codable": None},
        ]
    }
    report = codebook.codebook_import(programme=world.programme, data=doc)
    assert report.created == 2
    child = Code.objects.get(programme=world.programme, key="b")
    assert (child.parent.key, child.parent.name, child.parent.questions) == ("12", "3.5", "1\nq")
    assert child.order == 1 and not child.codable and child.parent.kind == "other"


def test_deep_nesting_is_refused(client, world):
    client.force_login(world.users["facilitator"])
    raw = b'{"codes": ' + b"[" * 10_000 + b"]" * 10_000 + b"}"
    with pytest.raises(ValidationError):
        codebook.codebook_parse(raw)
    assert _upload(client, raw).status_code == 302


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(items=st.lists(ITEM | JSON, max_size=4))
def test_any_json_codebook_is_imported_or_refused(world, items):
    try:
        report = codebook.codebook_import(programme=world.programme, data={"codes": items})
    except ValidationError as error:
        assert error.messages  # refused, with a message for the page
    else:
        assert report.created + report.updated == len(items)
        colours = Code.objects.filter(programme=world.programme).values_list("colour", flat=True)
        assert all(re.fullmatch(r"#[0-9a-fA-F]{6}", c) for c in colours)


@pytest.mark.parametrize("colour", ["#12345g", "1234567", "#abc", "#aabbcc\n", "javascript"])
def test_colour_must_be_hex_in_services(world, colour):
    found = code(world.programme, "a")
    with pytest.raises(ValidationError):
        codebook.code_add(programme=world.programme, name="B", colour=colour)
    with pytest.raises(ValidationError):
        codebook.code_update(
            code=found,
            name="A",
            kind="other",
            description="",
            questions="",
            colour=colour,
            codable=True,
        )
    assert not Code.objects.filter(colour=colour).exists()


def test_colour_must_be_hex_in_the_form(client, world):
    found = code(world.programme, "a")
    client.force_login(world.users["facilitator"])
    url = reverse("coding:code_edit", args=["prog", found.pk])
    client.post(url, {"name": "A", "kind": "other", "colour": "#12345g", "codable": "on"})
    found.refresh_from_db()
    assert found.colour == ""
    client.post(url, {"name": "A2", "kind": "other", "colour": "#A0b1C2", "codable": "on"})
    found.refresh_from_db()
    assert (found.name, found.colour) == ("A2", "#A0b1C2")
