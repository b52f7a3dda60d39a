"""Offsets are code points into the version text; the browser's UTF-16 offsets are converted."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from recolte.coding.models import Coding
from recolte.coding.services import codepoints_to_utf16, coding_create, utf16_to_codepoints
from recolte.coding.tests.helpers import code, version
from recolte.collection.ingest.text import normalise
from recolte.testing import PASSWORD

TEXT = "Élan 🌱 des élus — «coopérer» 👩🏽‍🌾 ensemble."


def test_utf16_round_trip_with_emoji_and_accents():
    for cp in range(len(TEXT) + 1):
        assert utf16_to_codepoints(TEXT, codepoints_to_utf16(TEXT, cp)) == cp
    # "🌱" is one code point but two UTF-16 units: what follows shifts by one.
    assert TEXT.index("des") == 7
    assert codepoints_to_utf16(TEXT, 7) == 8
    assert utf16_to_codepoints(TEXT, len(TEXT.encode("utf-16-le")) // 2) == len(TEXT)


def test_coding_stores_code_points(world):
    v = version(world.programme, TEXT)
    c = code(world.programme, "k")
    start = TEXT.index("élus")
    coding = coding_create(
        version=v, start=start, end=start + 4, code=c, coder=world.users["admin"]
    )
    assert coding.text == "élus"
    farmer = TEXT.index("👩")
    coding = coding_create(
        version=v, start=farmer, end=farmer + 4, code=c, coder=world.users["admin"]
    )
    assert coding.text == "👩🏽‍🌾"


@pytest.mark.parametrize("span", [(-1, 3), (5, 5), (6, 3), (0, len(TEXT) + 1), (4, 5)])
def test_bad_spans_are_refused(world, span):
    v = version(world.programme, TEXT)
    with pytest.raises(ValidationError):
        coding_create(
            version=v,
            start=span[0],
            end=span[1],
            code=code(world.programme, "k"),
            coder=world.users["admin"],
        )


def test_crlf_text_is_normalised_before_offsets(world):
    raw = "Première ligne\r\n\r\nDeuxième ligne éèà\r\n"
    text = normalise(raw)
    assert "\r" not in text
    v = version(world.programme, text)
    start = text.index("Deuxième")
    coding = coding_create(
        version=v,
        start=start,
        end=len(text),
        code=code(world.programme, "k"),
        coder=world.users["admin"],
    )
    assert coding.text == "Deuxième ligne éèà"


def test_view_converts_browser_offsets(client, world):
    v = version(world.programme, TEXT)
    c = code(world.programme, "k")
    client.login(username=world.users["facilitator"].username, password=PASSWORD)
    js_text = TEXT.encode("utf-16-le")
    start16 = js_text.decode("utf-16-le").index("des") + 1  # one more unit for 🌱
    url = reverse("coding:codings", args=["prog", v.pk])
    body = {"start16": start16, "end16": start16 + 3, "codes": [c.pk]}
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    coding = Coding.objects.get()
    assert (coding.start, coding.text) == (7, "des")
    sent = response.json()["codings"][0]
    assert (sent["start16"], sent["end16"]) == (8, 11)
