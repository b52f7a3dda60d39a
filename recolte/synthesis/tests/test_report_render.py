"""The report's renderers (one per format of `FORMATS`) on a small French report, and French
typography."""

from __future__ import annotations

import io
import logging
import re
import warnings
import zipfile

import pytest
from docx import Document
from pypdf import PdfReader

from recolte.synthesis.report import (
    FORMATS,
    Attribution,
    Box,
    Chart,
    Coverage,
    Node,
    ReportDocument,
    ReportQuote,
    Series,
    Table,
    render,
)
from recolte.synthesis.report.charts import render_chart
from recolte.synthesis.report.html_writer import PagedHtml
from recolte.synthesis.report.markdown import parse
from recolte.synthesis.report.pdf_pieces import _groups
from recolte.synthesis.report.pdf_writer import write_pdf
from recolte.synthesis.report.typography import NBSP, NNBSP, fr

NATURE_CHART = Chart(
    "Passages codés par nature d'organisation",
    ("Se connaître avant d'agir", "Un cadre pour dialoguer"),
    (Series("Associations", (7, 3)), Series("Collectivités", (2, 5))),
    value_label="Passages",
)
COUNTRY_CHART = Chart(
    "Opérations pilotes par pays", ("Mali", "Sénégal", "France"), (Series("Opérations", (3, 2, 4)),)
)


def sample_report() -> ReportDocument:
    long_analysis = "\n\n".join(
        f"Paragraphe {i} : les partenaires décrivent comment la confiance s'est construite "
        "au fil des rencontres, des visites croisées et des ateliers communs ; ils insistent "
        "sur le temps nécessaire pour que chacun comprenne les contraintes de l'autre."
        for i in range(1, 9)
    )
    return ReportDocument(
        title="Analyse transversale : coopérer autrement",
        subtitle="Programme d'essai 2021-2024",
        programme_facts=[("Période", "2021-2024"), ("Membres", "12 organisations")],
        device_figures=[
            Table(
                "Ressources par instrument",
                ["Instrument", "Ressources"],
                [["Carnet de route", "26"], ["Réunion in situ", "7"]],
            ),
            Table(
                "Réponses par campagne",
                ["Campagne", "Réponses"],
                [["Carnet de route n°1", "9"], ["Carnet de route n°2", "8"]],
            ),
        ],
        charts=[NATURE_CHART, COUNTRY_CHART],
        sections=[
            Node(
                1,
                "Associer des acteurs différents",
                number="Axe 1",
                key="a1",
                children=[
                    Node(
                        2,
                        "Coopérer avec des acteurs de nature différente",
                        number="1.1",
                        key="a1.s11",
                        questions=["Comment les collaborations se sont-elles mises en place?"],
                        children=[
                            Node(
                                3,
                                "Quelles pratiques ?",
                                number="A.",
                                key="a1.s11.A",
                                children=[
                                    Node(
                                        4,
                                        "Se connaître avant d'agir",
                                        key="a1.s11.A.connaitre",
                                        analysis_markdown=(
                                            "Les membres ont **d'abord** appris à se connaître : "
                                            "visites, *ateliers* et échanges.\n\n"
                                            "- rencontres mensuelles\n- voyages d'étude\n\n"
                                            "Voir https://exemple.org/guide?x=1 à 10:30 précises."
                                            " <b>balise</b>"
                                        ),
                                        examples=["GRDR", "ESSOR"],
                                        quotes=[
                                            ReportQuote(
                                                "Nous avons appris à nous écouter avant de "
                                                "décider quoi que ce soit ensemble.",
                                                Attribution(
                                                    person="Awa", org="GRDR", country="Mali"
                                                ),
                                            ),
                                            ReportQuote(
                                                "« Le temps passé ensemble n'était pas perdu. »",
                                                Attribution(role="chargée de mission", org="ESSOR"),
                                            ),
                                        ],
                                        boxes=[
                                            Box(
                                                "Une mission croisée à Kayes",
                                                "Carnet de route",
                                                [
                                                    "La mission a réuni *élus* et associations ; "
                                                    "chacun a présenté ses priorités."
                                                ],
                                            )
                                        ],
                                        children=[
                                            Node(
                                                5,
                                                "Oser la rencontre",
                                                key="a1.s11.A.c.oser",
                                                analysis_markdown="Un premier pas : se présenter.",
                                                is_draft=True,
                                            ),
                                        ],
                                    ),
                                ],
                            ),
                        ],
                    ),
                ],
            ),
            Node(
                1,
                "Du territoire au territoire",
                number="Axe 2",
                key="a2",
                children=[
                    Node(
                        2,
                        "Un cadre pour dialoguer",
                        number="2.1",
                        key="a2.s21",
                        analysis_markdown=long_analysis,
                        boxes=[
                            Box(
                                "L'opération pilote au Sénégal",
                                "Zoom sur",
                                ["Trois communes et deux associations ont co-piloté le projet."],
                            ),
                            Box(
                                "La réunion de Dakar",
                                "Réunion in situ",
                                ["Les participants ont comparé leurs méthodes."],
                            ),
                        ],
                    ),
                    Node(
                        2,
                        "Gérer les désaccords",
                        number="2.2",
                        key="a2.s22",
                        coverage_notes=["Aucun passage codé sous cette rubrique."],
                    ),
                ],
            ),
        ],
        coverage=Coverage(["Gérer les désaccords"], ["Cités Unies", "GERES"]),
    )


HEADINGS = [  # (level, heading text) in document order
    (1, "Axe 1 Associer des acteurs différents"),
    (2, "1.1 Coopérer avec des acteurs de nature différente"),
    (3, "A. Quelles pratiques\u202f?"),
    (4, "Se connaître avant d’agir"),
    (5, "Oser la rencontre"),
    (1, "Axe 2 Du territoire au territoire"),
    (2, "2.1 Un cadre pour dialoguer"),
    (2, "2.2 Gérer les désaccords"),
]


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    report = sample_report()
    return {fmt: render(report, fmt) for fmt in FORMATS}  # every format has a working writer


def _pdf(report: ReportDocument, workers: int) -> tuple[bytes, list[logging.LogRecord]]:
    """The PDF and what WeasyPrint logged at WARNING or above, in this process or a worker."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        buf = io.BytesIO()
        write_pdf(report, buf, workers=workers)
    finally:
        logger.removeHandler(handler)
    return buf.getvalue(), records


@pytest.fixture(scope="module")
def pdfs() -> dict[str, tuple[bytes, list[logging.LogRecord]]]:
    """The sample report laid out in one piece and in pieces by worker processes."""
    report = sample_report()
    return {"whole": _pdf(report, 1), "pieces": _pdf(report, 3)}


def _squash(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def _in_order(haystack: str, needles: list[str]) -> bool:
    pos = 0
    for needle in needles:
        found = haystack.find(needle, pos)
        if found < 0:
            return False
        pos = found + len(needle)
    return True


# Typography


def test_guillemets_get_non_breaking_spaces_inside():
    assert fr("«oui»") == f"«{NBSP}oui{NBSP}»"
    assert fr("«  oui   »") == f"«{NBSP}oui{NBSP}»"
    assert fr('il a dit "oui"') == f"il a dit «{NBSP}oui{NBSP}»"


def test_high_punctuation_gets_the_right_non_breaking_space():
    assert fr("Ex. : GRDR") == f"Ex.{NBSP}: GRDR"
    assert fr("Voici: la suite") == f"Voici{NBSP}: la suite"
    assert fr("Pourquoi ? Parce que ; enfin !") == (
        f"Pourquoi{NNBSP}? Parce que{NNBSP}; enfin{NNBSP}!"
    )
    assert fr("Vraiment ?!") == f"Vraiment{NNBSP}?!"


def test_apostrophes_ellipsis_and_double_spaces():
    assert fr("l'État  et   aujourd'hui...") == "l’État et aujourd’hui…"
    assert fr("  retrait conservé") == "  retrait conservé"


def test_urls_emails_and_times_are_left_alone():
    url = "https://exemple.org/a?b=1&c=d:e"
    assert fr(f"voir {url} : ok") == f"voir {url}{NBSP}: ok"
    assert fr("écrire à info@exemple.org ; merci") == f"écrire à info@exemple.org{NNBSP}; merci"
    assert fr("à 10:30 et au ratio 3:1") == "à 10:30 et au ratio 3:1"


@pytest.mark.parametrize(
    "text",
    [
        "« Il a dit : oui ! » (Awa, GRDR)",
        "Quoi?! Non ; si : « peut-être »",
        "l'a dit...",
        "**Note** : *vraiment ?*",
        "voir www.exemple.org : ici",
        "- liste : un\n- deux ?",
    ],
)
def test_typography_is_idempotent(text):
    assert fr(fr(text)) == fr(text)


def test_markdown_subset_keeps_html_and_headings_literal():
    blocks = parse("# Titre <b>x</b>\n\nUn **fort** et *léger* :\n\n- un\n- deux\n\n1. premier")
    assert [b.kind for b in blocks] == ["p", "p", "ul", "ol"]
    assert blocks[0].items[0][0].text == "# Titre <b>x</b>"
    runs = blocks[1].items[0]
    assert [(r.text, r.bold, r.italic) for r in runs] == [
        ("Un ", False, False),
        ("fort", True, False),
        (" et ", False, False),
        ("léger", False, True),
        (f"{NBSP}:", False, False),
    ]
    assert [item[0].text for item in blocks[2].items] == ["un", "deux"]


def test_chart_is_rendered_once_as_svg_and_png():
    images = render_chart(NATURE_CHART)
    assert images is render_chart(NATURE_CHART)  # cached for every format
    assert images.svg.startswith("<svg") and "Associations" in images.svg
    assert images.svg is images.svg
    assert "http" not in images.svg
    # presentation attributes only: `style` would enter the HTML page's cascade
    assert "style=" not in images.svg and "<style" not in images.svg
    assert 'fill="#0072b2"' in images.svg.lower()
    assert images.png.startswith(b"\x89PNG")


def test_many_long_series_keep_the_plot_and_a_legend_below():
    names = [f"Nature d'organisation numéro {i} au nom vraiment très long" for i in range(12)]
    chart = Chart(
        "Douze séries",
        ("Une rubrique au titre bien trop long pour une ligne",),
        tuple(Series(n, (i + 1,)) for i, n in enumerate(names)),
        stacked=True,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. "constrained_layout not applied"
        images = render_chart(chart)
        svg = images.svg
    # twelve colours; black is the default fill, which matplotlib leaves implicit
    assert len(set(re.findall(r'fill="(#[0-9a-f]{6})"', svg)) - {"#ffffff", "#000000"}) == 11
    legend, axes = svg.index('id="c'), svg.index("legend_1")
    assert legend < axes  # drawn after the axes: below them
    height = float(re.search(r'height="([\d.]+)pt"', svg).group(1))
    assert height > 3 * 72  # the legend's three rows of wrapped names get their own room


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown report format"):
        render(sample_report(), "odt")


def test_node_level_is_checked():
    with pytest.raises(ValueError):
        Node(6, "Trop profond")


# DOCX


def test_docx_has_word_headings_quotes_boxes_page_field_and_pictures(rendered):
    doc = Document(io.BytesIO(rendered["docx"]))
    headings = [
        (int(p.style.name.split()[-1]), _squash(p.text))
        for p in doc.paragraphs
        if p.style.name.startswith("Heading")
    ]
    node_headings = [h for h in headings if h[1] in {_squash(t) for _, t in HEADINGS}]
    assert node_headings == [(lvl, _squash(t)) for lvl, t in HEADINGS]
    assert (1, "Le dispositif de capitalisation en chiffres") in headings

    quotes = [p.text for p in doc.paragraphs if p.style.name == "Quote"]
    assert quotes == [
        f"«{NBSP}Nous avons appris à nous écouter avant de décider quoi que ce soit "
        f"ensemble.{NBSP}» (Awa, GRDR, Mali)",
        f"«{NBSP}Le temps passé ensemble n’était pas perdu.{NBSP}» (chargée de mission, ESSOR)",
    ]
    boxes = [t for t in doc.tables if len(t.rows) == 1 and len(t.columns) == 1]
    assert [b.cell(0, 0).paragraphs[0].text for b in boxes] == [
        "Carnet de route",
        "Zoom sur",
        "Réunion in situ",
    ]
    assert all('w:fill="EEF3F1"' in b.cell(0, 0)._tc.xml for b in boxes)
    assert boxes[0].cell(0, 0).paragraphs[1].text == "Une mission croisée à Kayes"

    footer_xml = doc.sections[0].footer._element.xml
    assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", footer_xml)
    assert "NUMPAGES" in footer_xml
    body_xml = doc.element.body.xml
    assert 'TOC \\o "1-3"' in body_xml
    assert len(doc.inline_shapes) == 2  # the two charts
    with zipfile.ZipFile(io.BytesIO(rendered["docx"])) as z:
        assert sum(n.startswith("word/media/") for n in z.namelist()) == 2

    texts = [p.text for p in doc.paragraphs]
    assert f"(Ex.{NBSP}: GRDR, ESSOR)" in texts
    draft = [p for p in doc.paragraphs if p.style.name == "Brouillon"]
    assert draft[0].text.startswith("Brouillon généré") and draft[1].text.startswith("Un premier")
    assert doc.paragraphs[1].text == "Analyse transversale\u00a0: coopérer autrement"


# PDF


@pytest.mark.parametrize("way", ["whole", "pieces"])
def test_pdf_has_pages_toc_page_numbers_headings_and_embedded_fonts(pdfs, way):
    reader = PdfReader(io.BytesIO(pdfs[way][0]))
    pages = [_squash(p.extract_text()) for p in reader.pages]
    n = len(pages)
    assert n >= 2
    assert f"page 2 / {n}" in pages[1] and f"page {n} / {n}" in pages[-1]
    assert "page 1 /" not in pages[0]  # no number on the title page
    body = " ".join(pages[2:])
    assert _in_order(body, [_squash(t) for _, t in HEADINGS])
    assert "« Nous avons appris à nous écouter" in body and "(Awa, GRDR, Mali)" in body
    toc = pages[1]
    assert toc.startswith("Sommaire")
    for heading in ("Axe 1 Associer des acteurs différents", "2.1 Un cadre pour dialoguer"):
        match = re.search(re.escape(heading) + r"[ .]*(\d+)", toc)
        assert match, heading
        target = int(match.group(1))
        assert heading in pages[target - 1]  # the TOC points at the right page

    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            desc = (
                font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                if "/DescendantFonts" in font
                else font["/FontDescriptor"]
            ).get_object()
            fonts[str(font["/BaseFont"])] = any(
                k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    assert fonts and all(fonts.values()), fonts
    assert any("DejaVu" in name for name in fonts)


@pytest.mark.parametrize("way", ["whole", "pieces"])
def test_pdf_links_and_bookmarks_point_at_their_headings(pdfs, way):
    reader = PdfReader(io.BytesIO(pdfs[way][0]))
    pages = [_squash(p.extract_text()) for p in reader.pages]

    def flat(items, depth=0):
        for item in items:
            if isinstance(item, list):
                yield from flat(item, depth + 1)
            else:
                yield depth, item.title, reader.get_destination_page_number(item)

    marks = [(d, _squash(t), page) for d, t, page in flat(reader.outline)]
    expected = [(lvl - 1, _squash(t)) for lvl, t in HEADINGS]  # nested as in the document
    assert [(d, t) for d, t, _ in marks if (d, t) in expected] == expected
    assert marks[0][:2] == (0, "Sommaire")
    for _depth, title, page in marks:
        assert title in pages[page], (title, page)
    named = reader.named_destinations
    links = 0
    for annot in reader.pages[1].get("/Annots", []):
        annot = annot.get_object()
        dest = annot["/Dest"]
        page = (
            reader.get_page_number(dest[0].get_object())
            if isinstance(dest, list)
            else reader.get_destination_page_number(named[str(dest)])
        )
        links += 1
        assert page >= 2
    assert links >= 8  # every contents entry is a link


def test_pdf_in_pieces_reads_like_the_whole_one(pdfs):
    def text(data: bytes) -> list[str]:
        return [
            " ".join(sorted(_squash(p.extract_text()).split()))
            for p in PdfReader(io.BytesIO(data)).pages
        ]

    assert text(pdfs["pieces"][0]) == text(pdfs["whole"][0])


@pytest.mark.parametrize("way", ["whole", "pieces"])
def test_pdf_rendering_logs_no_weasyprint_warning(pdfs, way):
    assert [r.getMessage() for r in pdfs[way][1]] == []


def test_warnings_from_worker_processes_reach_this_process():
    report = sample_report()
    report.sections[1].children[0].quotes.append(ReportQuote("Un signe privé \ue000 sans glyphe."))
    _, records = _pdf(report, 3)
    assert any("U+E000" in r.getMessage() for r in records)


def test_pieces_are_balanced_runs_of_consecutive_chunks():
    weights = [50, 60, 20, 220, 340, 370, 5]
    assert _groups(weights, 3) == [[0, 1, 2, 3], [4], [5, 6]]  # 350, 340, 375
    assert _groups(weights, 1) == [list(range(7))]
    assert _groups([9], 3) == [[0]]


def test_report_pieces_start_on_new_pages_and_add_up_to_the_report():
    paged = PagedHtml(sample_report())
    html = "".join(p.build() for p in paged.pieces())
    whole = paged.whole()
    for anchor in re.findall(r'id="([^"]+)"', whole):
        assert html.count(f'id="{anchor}"') == 1, anchor
    assert _squash(re.sub(r"<[^>]+>", " ", html)) in _squash(re.sub(r"<[^>]+>", " ", whole))


# HTML


def test_html_is_one_standalone_file_with_inline_svg(rendered):
    html = rendered["html"].decode("utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="fr">' in html
    assert "<link" not in html and "<script" not in html and "@import" not in html
    assert " src=" not in html
    assert all(h.startswith("#") for h in re.findall(r'href="([^"]*)"', html))
    assert all(u.startswith("#") for u in re.findall(r"url\(([^)]*)\)", html))
    assert not re.search(r"(src|href)=\"https?:", html)
    assert html.count("<svg") == 2
    found = [
        (int(m[0]) - 1, _squash(re.sub(r"<[^>]+>", "", m[1])))
        for m in re.findall(r"<h([2-6])>(.*?)</h\1>", html)
    ]
    expected = [(lvl, _squash(t)) for lvl, t in HEADINGS]
    assert [f for f in found if f in expected] == expected
    assert "&lt;b&gt;balise&lt;/b&gt;" in html  # markup in an analysis stays text
    assert "https://exemple.org/guide?x=1 à 10:30" in html
    assert 'class="analysis draft"' in html
    # every TOC link points at a section of the page
    ids = set(re.findall(r'id="([^"]+)"', html))
    assert {h[1:] for h in re.findall(r'<a href="(#[^"]+)"', html)} <= ids


# Markdown


def test_markdown_has_headings_quotes_boxes_and_examples(rendered):
    md = rendered["md"].decode("utf-8")
    lines = md.splitlines()
    heads = [
        (len(m[1]) - 1, _squash(m[2]))
        for m in (re.match(r"^(#{2,6}) (.*?)(?: <a id=\"[^\"]+\"></a>)?$", ln) for ln in lines)
        if m
    ]
    expected = [(lvl, _squash(t)) for lvl, t in HEADINGS]
    assert [h for h in heads if h in expected] == expected
    assert lines[0] == "# Analyse transversale\u00a0: coopérer autrement"
    assert (
        f"> «{NBSP}Nous avons appris à nous écouter avant de décider quoi que ce soit "
        f"ensemble.{NBSP}» (Awa, GRDR, Mali)"
    ) in lines
    assert "> **Carnet de route** — **Une mission croisée à Kayes**" in lines
    assert f"(Ex.{NBSP}: GRDR, ESSOR)" in lines
    assert (
        "Les membres ont **d’abord** appris à se connaître\u00a0: visites, *ateliers* et "
        "échanges." in lines
    )
    assert "- rencontres mensuelles" in lines
    assert "\\<b\\>balise\\</b\\>" in md
    assert "](data:image/png;base64," in md
    assert "- **Période**\u00a0: 2021-2024" in lines
    assert "\n\n\n" not in md
