"""DOCX, ODT and PDF extraction, including hostile and damaged files."""

import hashlib

import pytest

from recolte import safezip
from recolte.collection.ingest import IngestError, extract, formats, sniff
from recolte.collection.ingest.text import normalise

from . import fixtures_gen as fx

DOCX_TEXT = """Atelier de Ségou

Les groupements ont présenté leurs résultats devant les élus.

- Premier point
  - Sous-point détaillé
- Second point

Chiffres clés

Village | Femmes | Hommes
Kayes | 12 | 9

Première ligne
deuxième ligne"""


def _code(data: bytes, name: str, **kwargs) -> str:
    with pytest.raises(IngestError) as caught:
        extract(data, name, **kwargs)
    return caught.value.code


def test_docx_keeps_structure_comments_and_metadata():
    data = fx.docx_bytes()
    result = extract(data, "atelier.docx")
    assert result.format == "docx"
    assert result.text == DOCX_TEXT
    assert normalise(result.text) == result.text
    assert result.title == "Atelier de Ségou"
    assert result.language_hint == "fr"
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    [note] = result.notes
    assert (note.text, note.anchor, note.author) == ("Préciser lesquels.", "leurs résultats", "Awa")


def test_docx_malformed_xml_is_reported_as_such():
    broken = fx.replace_member(fx.docx_bytes(), "word/document.xml", b"<w:document><w:body>")
    assert _code(broken, "broken.docx") == "malformed_xml"


def test_docx_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("MOT-DE-PASSE-SECRET")
    doctype = (
        f'<!DOCTYPE d [<!ENTITY xxe SYSTEM "file://{secret}"><!ENTITY a "AAAAAAAAAA">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    )
    body = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>avant &xxe; &b; après</w:t></w:r></w:p></w:body></w:document>"
    )
    hostile = fx.replace_member(
        fx.docx_bytes(False), "word/document.xml", (doctype + body).encode()
    )
    result = extract(hostile, "hostile.docx")
    assert "SECRET" not in result.text
    assert "AAAA" not in result.text
    assert result.text.startswith("avant")


def test_docx_zip_bomb_is_refused_before_parsing():
    assert _code(fx.docx_zip_bomb(20), "bomb.docx") == "zip_bomb"


def test_zip_total_size_limit(monkeypatch):
    monkeypatch.setattr(formats, "LIMITS", safezip.Limits(total=10_000))
    assert _code(fx.docx_bytes(), "big.docx") == "zip_bomb"


def test_odt_keeps_structure():
    result = extract(fx.odt_bytes(), "rapport.odt")
    assert result.format == "odt"
    assert result.title == "Rapport d’étape"
    assert result.text == "\n\n".join(
        [
            "Rapport d’étape",
            fx.FRENCH,
            "- Eau potable\n- Santé animale",
            "Poste | Montant\nForage | 1 200 €",
        ]
    )
    assert result.language_hint == "fr"


def test_odt_malformed_xml_is_refused_quietly(capsys):
    broken = fx.replace_member(fx.odt_bytes(), "content.xml", b"<office:document-content>")
    assert _code(broken, "broken.odt") == "malformed_xml"
    assert capsys.readouterr().out == ""


def test_odt_with_a_dtd_is_refused():
    content = (
        b'<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        b' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
        b"<text:p>&xxe;</text:p></office:text></office:body></office:document-content>"
    )
    hostile = fx.replace_member(fx.odt_bytes(), "content.xml", content)
    assert _code(hostile, "hostile.odt") == "malformed_xml"


def test_pdf_text_layer_rebuilds_paragraphs():
    data = fx.pdf_bytes([[fx.FRENCH, fx.ACCENTS], ["Deuxième page."]], title="Bilan")
    result = extract(data, "bilan.pdf")
    assert result.format == "pdf"
    assert result.title == "Bilan"
    assert result.text == "\n\n".join([fx.FRENCH, fx.ACCENTS, "Deuxième page."])
    assert not result.needs_transcript
    assert result.language_hint == "fr"


def test_pdf_hyphenated_line_ends_are_joined():
    # Width 30 breaks "capitalisation" across lines once hyphenated by hand.
    data = fx.pdf_bytes(
        [["La réunion de capi- talisation a eu lieu hier soir au village."]], width=22
    )
    assert "capitalisation" in extract(data, "c.pdf").text


def test_scanned_pdf_is_kept_and_flagged():
    result = extract(fx.pdf_bytes([[], []]), "scan.pdf")
    assert result.needs_transcript
    assert result.text == ""
    assert result.title == "scan"


def test_pdf_with_some_empty_pages_warns():
    result = extract(fx.pdf_bytes([[fx.ACCENTS], []]), "mixte.pdf")
    assert result.text == fx.ACCENTS
    assert result.warnings == ["Pages without a text layer: 2."]


def test_encrypted_pdf_needs_its_password():
    locked = fx.encrypt_pdf(fx.pdf_bytes([[fx.ACCENTS]]), "secret")
    assert _code(locked, "locked.pdf") == "encrypted_pdf"


def test_pdf_with_empty_user_password_opens():
    restricted = fx.encrypt_pdf(fx.pdf_bytes([[fx.ACCENTS]]), "")
    assert extract(restricted, "restricted.pdf").text == fx.ACCENTS


def test_truncated_pdf_is_corrupt():
    data = fx.pdf_bytes([[fx.FRENCH]])
    assert _code(data[: len(data) // 3], "cut.pdf") == "corrupt"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (fx.pdf_bytes([[fx.ACCENTS]]), "rapport.docx"),
        (fx.docx_bytes(False), "rapport.pdf"),
        (fx.ACCENTS.encode(), "rapport.odt"),
        (fx.docx_bytes(False), "notes.txt"),
    ],
)
def test_names_that_lie_about_the_content_are_refused(data, name):
    assert _code(data, name) == "type_mismatch"


def test_content_decides_when_the_name_has_no_known_extension():
    assert sniff(fx.docx_bytes(False), "export") == "docx"
    assert sniff(fx.pdf_bytes([[fx.ACCENTS]]), "scan.bin") == "pdf"
