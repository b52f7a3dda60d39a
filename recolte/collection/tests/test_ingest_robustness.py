"""Contract checks across formats: stable text for offsets, and only IngestError on damage."""

import random

import pytest

from recolte.collection.ingest import IngestError, extract
from recolte.collection.ingest.text import normalise

from . import fixtures_gen as fx

SAMPLES = {
    "a.docx": fx.docx_bytes(),
    "a.odt": fx.odt_bytes(),
    "a.pdf": fx.pdf_bytes([[fx.FRENCH, fx.ACCENTS]]),
    "a.srt": fx.SRT.encode(),
    "a.vtt": fx.VTT.encode(),
    "a.eml": fx.eml_bytes(),
    "a.mbox": fx.mbox_bytes(),
    "a.html": b"<h1>Titre</h1><p>Un paragraphe.</p>",
    "a.md": "# Titre\n\nTexte accentué.\n".encode(),
}


@pytest.mark.parametrize("name", SAMPLES)
def test_text_is_already_normal_so_offsets_stay_valid(name):
    # Storage normalises again: that must be a no-op or cue/message offsets would drift.
    text = extract(SAMPLES[name], name).text
    assert text and normalise(text) == text


def _mutations(data: bytes, rng: random.Random, count: int):
    for _ in range(count):
        damaged = bytearray(data)
        roll = rng.random()
        if roll < 0.5:
            for _ in range(rng.randint(1, 20)):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        elif roll < 0.8:
            damaged = damaged[: rng.randrange(1, len(damaged))]
        else:
            start = rng.randrange(len(damaged))
            del damaged[start : start + rng.randint(1, 200)]
        yield bytes(damaged)


@pytest.mark.parametrize("name", ["a.docx", "a.odt", "a.pdf", "a.mbox", "a.eml", "a.vtt", "a.srt"])
def test_damaged_files_raise_only_ingest_errors(name):
    rng = random.Random(name)
    for damaged in _mutations(SAMPLES[name], rng, 40):
        try:
            result = extract(damaged, name)
        except IngestError as error:
            assert error.code in {
                "corrupt",
                "malformed_xml",
                "empty",
                "unsupported",
                "zip_bomb",
                "type_mismatch",
            }
        else:
            assert normalise(result.text) == result.text
