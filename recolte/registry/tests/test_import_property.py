"""Registry import fed arbitrary and damaged files: `RegistryImportError` listing problems,
or an import, never another exception (hypothesis; profile in recolte/conftest.py)."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recolte.registry.exchange import RegistryImportError, registry_import, write_xlsx

pytestmark = pytest.mark.django_db
DEMO = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "demo_programme.json").read_text()
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


def _import(data, fmt=None) -> None:
    try:
        registry_import(data=data, fmt=fmt)
    except RegistryImportError as error:
        assert error.problems and all(str(p) for p in error.problems)


def _paths(node, path=()):
    """Every (path, value) of a JSON document, containers included."""
    yield path, node
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, child in items:
        yield from _paths(child, (*path, key))


@settings(max_examples=150)
@given(data=st.binary(max_size=2048), fmt=st.sampled_from([None, "json", "xlsx", "caac"]))
def test_arbitrary_bytes(data, fmt):
    _import(data, fmt)


@settings(max_examples=100)
@given(doc=JSON, fmt=st.sampled_from([None, "json", "caac"]))
def test_arbitrary_json(doc, fmt):
    _import(json.dumps(doc).encode(), fmt)


@settings(max_examples=100)
@given(st.data())
def test_demo_file_with_values_replaced(data):
    doc = json.loads(json.dumps(DEMO))
    paths = [p for p, _ in _paths(doc) if p]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        parent = doc
        try:
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]] = data.draw(JSON)
        except (KeyError, IndexError, TypeError):  # an earlier replacement removed the path
            continue
    _import(json.dumps(doc).encode())


@pytest.mark.parametrize("text", ["[" * 100_000, '{"a":' * 100_000])
def test_deeply_nested_json_is_refused(text):
    with pytest.raises(RegistryImportError):
        registry_import(data=text.encode())


@settings(max_examples=50)
@given(st.data())
def test_workbook_with_damaged_xml(data):
    book = zipfile.ZipFile(io.BytesIO(write_xlsx(DEMO)))
    member = data.draw(st.sampled_from([n for n in book.namelist() if n.endswith(".xml")]))
    xml = bytearray(book.read(member))
    at = data.draw(st.integers(0, len(xml)))
    xml[at : at + data.draw(st.integers(0, 50))] = data.draw(st.binary(max_size=50))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in book.namelist():
            target.writestr(name, bytes(xml) if name == member else book.read(name))
    _import(out.getvalue(), "xlsx")
