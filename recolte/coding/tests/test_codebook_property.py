"""Codebook files fed arbitrary bytes and JSON: a dict or a ValidationError (hypothesis)."""

import json

from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from recolte.coding.services.codebook import codebook_parse

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


def _parse(raw: bytes) -> None:
    try:
        assert isinstance(codebook_parse(raw), dict)
    except ValidationError as error:
        assert error.messages


@settings(max_examples=300)
@given(raw=st.binary(max_size=2048))
def test_arbitrary_bytes(raw):
    _parse(raw)


@settings(max_examples=200)
@given(doc=JSON, depth=st.integers(0, 50_000))
def test_arbitrary_json_at_any_depth(doc, depth):
    _parse(("[" * depth + json.dumps(doc) + "]" * depth).encode())
