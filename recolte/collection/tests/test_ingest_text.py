"""Plain text encodings, Markdown, HTML, subtitles and e-mail."""

import codecs
import unicodedata

import pytest
from django.utils import translation

from recolte.collection.ingest import IngestError, extract, sniff
from recolte.collection.ingest.text import normalise

from . import fixtures_gen as fx

FRENCH = f"{fx.FRENCH}\n\n{fx.ACCENTS} « Très bien », a dit l’élue — voilà."


@pytest.mark.parametrize(
    ("payload", "encoding"),
    [
        (FRENCH.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + FRENCH.encode("utf-8"), "utf-8-sig"),
        (FRENCH.encode("utf-16"), "utf-16"),
        (FRENCH.encode("utf-16-le"), "utf-16-le"),
        (FRENCH.encode("utf-16-be"), "utf-16-be"),
        (FRENCH.encode("cp1252"), "cp1252"),
    ],
)
def test_french_text_decodes_exactly(payload, encoding):
    result = extract(payload, "notes.txt")
    assert (result.text, result.encoding, result.format) == (FRENCH, encoding, "txt")
    assert result.language_hint == "fr"


def test_mac_roman_is_recognised_when_cp1252_would_be_implausible():
    text = FRENCH.replace("’", "'").replace("—", "-")
    assert extract(text.encode("mac_roman"), "vieux.txt").text == text


def test_cp1252_french_is_not_taken_for_central_european():
    sample = "Réunion à Kayes : l’équipe a évoqué l’accès à l’eau et les élèves."
    assert extract(sample.encode("cp1252"), "cr.txt").text == sample


def test_normalisation_rules():
    messy = "\ufeffTitre  \r\nligne\tsuivante \u00a0\r\n\r\n\r\n\r\nCafe\u0301\x07 fin\r"
    result = extract(messy.encode("utf-8"), "brut.txt")
    assert result.text == "Titre\nligne\tsuivante\n\nCafé fin"
    assert unicodedata.is_normalized("NFC", result.text)
    assert normalise(result.text) == result.text


def test_markdown_title_comes_from_first_heading():
    result = extract("Intro libre\n\n# Bilan de l’année\n\nTexte.".encode(), "bilan.md")
    assert (result.format, result.title) == ("md", "Bilan de l’année")
    assert result.text.startswith("Intro libre")


def test_html_is_sanitised_and_keeps_blocks():
    page = (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="windows-1252">'
        "<title>Fiche d&#8217;expérience</title><style>p{color:red}</style>"
        "<script>document.write('piège')</script></head><body>"
        "<h1>Résumé</h1><p>Les <b>élus</b>\n ont   suivi.<br>Deuxième ligne.</p>"
        "<ul><li>Eau<ul><li>Forages</li></ul></li><li><p>Santé</p></li></ul>"
        "<table><tr><th>Lieu</th><th>Date</th></tr><tr><td>Kayes</td><td>mars</td></tr></table>"
        "<!-- commentaire caché --><div onclick='x()'>Fin</div></body></html>"
    ).encode("cp1252")
    result = extract(page, "fiche.html")
    assert result.text == (
        "Résumé\n\nLes élus ont suivi.\nDeuxième ligne.\n\n- Eau\n  - Forages\n- Santé\n\n"
        "Lieu | Date\nKayes | mars\n\nFin"
    )
    assert (result.title, result.language_hint, result.encoding) == (
        "Fiche d’expérience",
        "fr",
        "windows-1252",
    )


def test_srt_cues_point_at_their_text():
    result = extract(fx.SRT.encode("utf-8"), "entretien.srt")
    expected = [
        "Awa: Bonjour à tous, on commence la réunion à Ménaka 🌍.",
        "Le moulin fonctionne depuis mars.",
        "Dr Traoré : les élèves sont revenus.",
    ]
    assert result.text == "\n\n".join(expected)
    assert [result.text[c.start_offset : c.end_offset] for c in result.cues] == expected
    assert [(c.start_ms, c.end_ms, c.speaker) for c in result.cues] == [
        (1000, 4200, "Awa"),
        (4500, 7000, None),
        (62250, 65000, "Dr Traoré"),
    ]


def test_srt_offsets_survive_cp1252_and_crlf():
    plain = fx.SRT.replace(" 🌍", "").replace("\n", "\r\n")
    result = extract(plain.encode("cp1252"), "ancien.srt")
    assert result.encoding == "cp1252"
    assert [result.text[c.start_offset : c.end_offset] for c in result.cues][0] == (
        "Awa: Bonjour à tous, on commence la réunion à Ménaka."
    )


def test_vtt_voices_become_speakers():
    result = extract(fx.VTT.encode("utf-8"), "entretien.vtt")
    expected = [
        "Moussa Diarra: Nous avons créé la coopérative.",
        "Ça a pris & demandé du temps… 🙂",
    ]
    assert [result.text[c.start_offset : c.end_offset] for c in result.cues] == expected
    assert [(c.start_ms, c.end_ms, c.speaker) for c in result.cues] == [
        (1000, 3500, "Moussa Diarra"),
        (4000, 6000, None),
    ]


def test_eml_prefers_plain_text_and_returns_attachments():
    result = extract(fx.eml_bytes(), "message.eml")
    assert result.title == "Compte rendu de l’atelier"
    assert result.text.endswith("Bonjour,\n\nLa réunion s’est bien passée à Kayes.")
    assert "HTML" not in result.text
    assert result.attachments == [("annexe.pdf", b"%PDF-1.4 fake")]
    [message] = result.messages
    assert (message.sender, message.date) == (
        "Awa Traoré <awa@example.org>",
        "2026-03-03T10:15:00+00:00",
    )


def test_eml_html_body_is_converted():
    result = extract(fx.eml_bytes(html_only=True), "message.eml")
    assert result.messages[0].body == "Réunion réussie.\n\n- Eau\n- Santé"
    assert "alert" not in result.text


def test_mbox_splits_messages_with_offsets():
    result = extract(fx.mbox_bytes(), "archive.mbox")
    assert [m.subject for m in result.messages] == ["Premier retour", "Re: Premier retour"]
    assert [m.body for m in result.messages] == [
        "Les semences sont arrivées.",
        "Très bien, merci à l’équipe.",
    ]
    for message in result.messages:
        section = result.text[message.start_offset : message.end_offset]
        assert section.startswith(f"From: {message.sender}")
        assert section.endswith(message.body)
    assert result.title == "archive"


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (fx.SRT.encode(), "srt"),
        (fx.VTT.encode(), "vtt"),
        (fx.eml_bytes(), "eml"),
        (fx.mbox_bytes(), "mbox"),
        (b"<!doctype html><p>x</p>", "html"),
        (FRENCH.encode("utf-16-le"), "txt"),
    ],
)
def test_text_formats_are_recognised_without_extension(payload, expected):
    assert sniff(payload, "upload") == expected


def test_extension_states_intent_within_text_formats():
    assert sniff(b"<html><p>exemple</p></html>", "exemple.txt") == "txt"


@pytest.mark.parametrize(
    ("payload", "name", "code"),
    [
        (b"", "vide.txt", "empty"),
        (b" \r\n\t\n", "blanc.txt", "empty"),
        (b"x" * 2048, "gros.txt", "too_large"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "ancien.doc", "unsupported"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "photo.png", "unsupported"),
        (b"\x00\x01\x02\x03" * 100, "inconnu.bin", "unsupported"),
        (b"juste du texte", "sous-titres.srt", "corrupt"),
    ],
)
def test_refusals_carry_a_machine_code(payload, name, code):
    with pytest.raises(IngestError) as caught:
        extract(payload, name, max_bytes=1024)
    assert caught.value.code == code
    assert str(caught.value)  # a readable English message


def test_error_messages_are_lazy_and_formatted_on_display():
    with pytest.raises(IngestError) as caught:
        extract(b"x" * 3 * 1024 * 1024, "gros.txt", max_bytes=1024 * 1024)
    error = caught.value
    assert not isinstance(error.template, str)  # a lazy proxy, translated when displayed
    with translation.override("en"):
        assert error.message == "The file is 3.0 MB; the limit is 1.0 MB."
