"""Files built to exhaust memory or CPU: refused or read within hard budgets (issue 13)."""

import io
import time
import tracemalloc
import zipfile

import pytest

from recolte import safezip
from recolte.collection.ingest import IngestError, extract, formats
from recolte.collection.ingest.markup import MAX_DEPTH, html_to_text
from recolte.registry.exchange import xlsx_format

from . import fixtures_gen as fx
from . import hostile

MB = 1024 * 1024


def _peak(call) -> tuple[object, int]:
    """What `call()` returned or raised, and the peak of Python allocations meanwhile."""
    tracemalloc.start()
    try:
        try:
            outcome = call()
        except Exception as exc:  # noqa: BLE001 - the caller asserts on it
            outcome = exc
        return outcome, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture(scope="module")
def bomb():
    return hostile.lying_bomb_docx(200)


def test_member_lying_about_its_size_is_never_inflated_past_the_cap(bomb):
    assert zipfile.ZipFile(io.BytesIO(bomb)).getinfo("word/document.xml").file_size == 4096
    outcome, peak = _peak(lambda: extract(bomb, "bombe.docx"))
    assert isinstance(outcome, IngestError)
    assert peak < 20 * MB  # the old reader allocated the whole 200 MB


def test_capped_copy_refuses_a_member_inflating_past_its_budget():
    data = fx.replace_member(fx.docx_bytes(), "word/document.xml", b"<a>" + b" " * (3 * MB))
    limits = safezip.Limits(total=2 * MB, member=2 * MB)
    with pytest.raises(safezip.ZipRefused) as refused:
        safezip.inflate(data, limits=limits)
    assert refused.value.code == "zip_bomb"


def test_docx_with_more_xml_than_the_budget_is_refused(monkeypatch):
    monkeypatch.setattr(formats, "LIMITS", safezip.Limits(total=MB, member=MB))
    with pytest.raises(IngestError) as refused:
        extract(hostile.big_xml_docx(1.5), "gros.docx")
    assert refused.value.code == "zip_bomb"
    assert refused.value.params["limit"] == 1  # MB, as the message says


def test_media_are_not_inflated_and_text_still_reads():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as target:
        source = zipfile.ZipFile(io.BytesIO(fx.docx_bytes()))
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("word/media/image1.png", b"\0" * (60 * MB))  # not referenced, 60 MB
    outcome, peak = _peak(lambda: extract(data.getvalue(), "image.docx"))
    assert outcome.text.startswith("Atelier de Ségou")
    assert peak < 30 * MB


def test_odt_mimetype_lying_about_its_size_is_read_capped():
    data = hostile.lying_member(fx.odt_bytes(), "mimetype", 100, declared=39)
    outcome, peak = _peak(lambda: extract(data, "rapport.odt"))
    assert isinstance(outcome, IngestError)
    assert peak < 20 * MB


def test_bzip2_members_are_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_BZIP2) as target:
        source = zipfile.ZipFile(io.BytesIO(fx.docx_bytes()))
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
    with pytest.raises(IngestError) as refused:
        extract(out.getvalue(), "bzip.docx")
    assert refused.value.code == "corrupt"


def test_registry_workbook_lying_about_its_size_is_refused():
    book = xlsx_format.write_xlsx(
        {"programme": {}, "axes": [], "organisations": [], "people": [], "pilot_operations": []}
    )
    data = hostile.lying_member(book, "xl/styles.xml", 100)
    outcome, peak = _peak(lambda: xlsx_format.read_xlsx(data))
    doc, problems = outcome
    assert doc is None and problems[0].sheet == "file"
    assert peak < 20 * MB


@pytest.mark.parametrize(
    "markup",
    [
        "<div>" * 200_000 + "fond" + "</div>" * 200_000,
        "<span>" * 200_000 + "fond",
        "<ul><li>" * 100_000 + "fond",
        "<table><tr><td>" * 60_000 + "fond",
        # unclosed formatting elements used to be re-opened inside every later block
        "<div>" + "".join(f'<b id="{i}">' for i in range(250)) + "</div>" + "<p>fond" * 20_000,
    ],
    ids=["div", "span", "li", "table", "formatting"],
)
def test_deep_or_amplifying_html_stays_linear(markup):
    started = time.process_time()
    try:
        text = html_to_text(markup)
    except IngestError as error:
        assert error.code == "too_large"
    else:
        assert "fond" in text
    assert time.process_time() - started < 4


def test_shallow_html_keeps_its_structure():
    nested = "<div>" * (MAX_DEPTH - 10) + "<p>un</p><ul><li>deux</li></ul>" + "</div>" * 300
    assert html_to_text(nested + "<p>trois</p>") == "un\n\n- deux\n\ntrois"


def test_html_mail_body_is_tamed():
    mail = (
        b"From: a@example.org\nTo: b@example.org\nSubject: profond\n"
        b"Content-Type: text/html; charset=utf-8\n\n" + b"<div>" * 200_000 + b"corps"
    )
    started = time.process_time()
    assert "corps" in extract(mail, "profond.eml").text
    assert time.process_time() - started < 4


def test_deeply_nested_docx_tables_are_refused_cleanly():
    with pytest.raises(IngestError) as refused:
        extract(hostile.nested_tables_docx(2000), "tables.docx")
    assert refused.value.code == "malformed_xml"
