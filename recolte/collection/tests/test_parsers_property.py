"""Every document parser, fed arbitrary and damaged files: an `IngestError` or a text, never
another exception and never a hang (the profile's deadline; see recolte/conftest.py)."""

import io
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st

from recolte.collection.ingest import IngestError, extract
from recolte.collection.ingest.text import normalise

from . import fixtures_gen as fx

SAMPLES = {
    "a.docx": fx.docx_bytes(),
    "a.odt": fx.odt_bytes(),
    "a.pdf": fx.pdf_bytes([[fx.FRENCH, fx.ACCENTS]]),
    "a.html": b"<html><body><h1>Titre</h1><ul><li>un</li></ul><table><tr><td>a</td></tr></table>",
    "a.eml": fx.eml_bytes(),
    "a.mbox": fx.mbox_bytes(),
    "a.srt": fx.SRT.encode(),
    "a.vtt": fx.VTT.encode(),
}
XML_MEMBERS = {"a.docx": "word/document.xml", "a.odt": "content.xml"}
NAMES = [*SAMPLES, "a.txt", "a.md", "sans-extension"]


def _read(data: bytes, name: str) -> None:
    try:
        result = extract(data, name)
    except IngestError as error:
        assert error.message  # the message renders with its parameters
    else:
        assert normalise(result.text) == result.text


@st.composite
def _damaged(draw, data: bytes) -> bytes:
    """`data` with a few bytes overwritten, a slice cut out or replaced, or truncated."""
    damaged = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(damaged)))
        kind = draw(st.sampled_from(["overwrite", "cut", "insert", "truncate"]))
        if kind == "overwrite":
            damaged[at : at + 1] = draw(st.binary(min_size=1, max_size=1))
        elif kind == "cut":
            del damaged[at : at + draw(st.integers(1, 200))]
        elif kind == "insert":
            damaged[at:at] = draw(st.binary(max_size=64))
        else:
            del damaged[at:]
    return bytes(damaged)


@settings(max_examples=500)
@given(data=st.binary(max_size=2048), name=st.sampled_from(NAMES))
def test_arbitrary_bytes(data, name):
    _read(data, name)


@settings(max_examples=200)
@given(data=st.binary(max_size=1024), name=st.sampled_from(NAMES))
def test_arbitrary_bytes_behind_a_real_signature(data, name):
    for magic in (b"%PDF-1.7\n", b"PK\x03\x04", b"From x@y Tue Mar  3 10:15:00 2026\n"):
        _read(magic + data, name)


@settings(max_examples=200)
@given(st.data())
def test_damaged_files(data):
    name = data.draw(st.sampled_from(sorted(SAMPLES)))
    _read(data.draw(_damaged(SAMPLES[name])), name)


@settings(max_examples=200)
@given(st.data())
def test_text_formats_with_arbitrary_text_spliced_in(data):
    name = data.draw(st.sampled_from(["a.html", "a.eml", "a.mbox", "a.srt", "a.vtt"]))
    text = SAMPLES[name].decode("utf-8", errors="replace")
    at = data.draw(st.integers(0, len(text)))
    _read((text[:at] + data.draw(st.text(max_size=200)) + text[at:]).encode(), name)


@settings(max_examples=200)
@given(st.data())
def test_office_files_with_damaged_xml(data):
    """The archive stays sound so the XML parsers themselves meet the damage."""
    name = data.draw(st.sampled_from(sorted(XML_MEMBERS)))
    member = XML_MEMBERS[name]
    source = zipfile.ZipFile(io.BytesIO(SAMPLES[name]))
    xml = data.draw(_damaged(source.read(member)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, xml if info.filename == member else source.read(info))
    _read(out.getvalue(), name)
