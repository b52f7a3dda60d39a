"""DOCX with real Word styles: Heading 1–5 (navigation pane and TOC), a TOC field, the built-in
Quote style, boxes as shaded one-cell tables, page X / Y fields in the footer, charts as PNG."""

from __future__ import annotations

import io
from typing import BinaryIO

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from .charts import render_chart
from .document import TOC_DEPTH, Box, Node, ReportDocument, ReportQuote, Table
from .markdown import Block, Run, parse
from .typography import guillemets, typeset

ACCENT = RGBColor(0x1F, 0x5F, 0x5B)
MUTED = RGBColor(0x5B, 0x6B, 0x69)
SHADE, DRAFT_SHADE = "EEF3F1", "FFF6DC"
TEXT_WIDTH = Cm(16.6)


def write_docx(report: ReportDocument, out: BinaryIO) -> None:
    report = typeset(report)
    doc = Document()
    w = _Writer(doc, report)
    w.title_page()
    w.toc()
    w.figures()
    for node in report.sections:
        w.node(node)
    w.coverage()
    doc.core_properties.title = report.title
    doc.core_properties.language = "fr-FR"
    doc.save(out)


class _Writer:
    def __init__(self, doc: DocxDocument, report: ReportDocument) -> None:
        self.doc, self.report = doc, report
        self.s = _styles(doc)
        self._page_setup()

    def _page_setup(self) -> None:
        sec = self.doc.sections[0]
        sec.page_width, sec.page_height = Cm(21), Cm(29.7)
        sec.left_margin = sec.right_margin = Cm(2.2)
        sec.top_margin, sec.bottom_margin = Cm(2.3), Cm(2.2)
        sec.different_first_page_header_footer = True  # no number on the title page
        head = sec.header.paragraphs[0]
        head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        head.add_run(self.report.title)
        foot = sec.footer.paragraphs[0]
        foot.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        foot.add_run(f"{self.report.labels.page} ")
        _field(foot, "PAGE", "1")
        foot.add_run(" / ")
        _field(foot, "NUMPAGES", "1")
        # Word refreshes the TOC and page fields when the file is opened.
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        self.doc.settings.element.append(update)

    def title_page(self) -> None:
        r = self.report
        spacer = self.doc.add_paragraph()
        spacer.paragraph_format.space_before = Cm(6)
        self.par(r.title, "Title")
        if r.subtitle:
            self.par(r.subtitle, "Subtitle")
        if r.programme_facts:
            table = self.doc.add_table(rows=0, cols=2)
            for label, value in r.programme_facts:
                cells = table.add_row().cells
                cells[0].width, cells[1].width = Cm(5), Cm(11.6)
                run = _cell_para(cells[0]).add_run(label)
                run.font.color.rgb = MUTED
                _cell_para(cells[1]).add_run(value)
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def toc(self) -> None:
        """A TOC field whose cached result lists the headings until Word updates it."""
        self.par(self.report.labels.contents, "TOC Heading")
        lines = [(1, self.report.labels.toc_update)]
        if self.report.device_figures or self.report.charts:
            lines.append((1, self.report.labels.figures))
        lines += [(n.level, n.heading()) for n, _ in self.report.walk() if n.level <= TOC_DEPTH]
        paras = []
        for level, text in lines:
            p = self.doc.add_paragraph()
            p.paragraph_format.left_indent = Cm(0.6 * (level - 1))
            paras.append(p)
            p.add_run(text)
        paras[0].runs[0].italic = True
        _field_span(paras[0], paras[-1], f'TOC \\o "1-{TOC_DEPTH}" \\h \\z \\u')

    def figures(self) -> None:
        r = self.report
        if not (r.device_figures or r.charts):
            return
        self.par(r.labels.figures, "Heading 1")
        for table in r.device_figures:
            self._table(table)
        for i, chart in enumerate(r.charts, 1):
            self.doc.add_picture(io.BytesIO(render_chart(chart).png), width=TEXT_WIDTH)
            self.par(f"{r.labels.figure} {i}. {chart.title}", "Caption")

    def _table(self, table: Table) -> None:
        self.par(table.title, "Caption")
        t = self.doc.add_table(rows=1, cols=len(table.columns), style="Table Grid")
        for cell, text in zip(t.rows[0].cells, table.columns, strict=True):
            _cell_para(cell).add_run(text).bold = True
            _shade(cell._tc, SHADE)
        for row in table.rows:
            for cell, text in zip(t.add_row().cells, row, strict=True):
                _cell_para(cell).add_run(text)
        self.doc.add_paragraph()

    def node(self, node: Node) -> None:
        self.par(node.heading(), f"Heading {node.level}")
        for q in node.questions:
            self.par(q, "Question directrice")
        if node.analysis_markdown.strip():
            style = "Brouillon" if node.is_draft else None
            if node.is_draft:
                self.par("", style).add_run(self.report.labels.draft).bold = True
            self._blocks(parse(node.analysis_markdown), style)
        if node.examples:
            self.par(node.examples_label(), "Exemples")
        for quote in node.quotes:
            self._quote(quote)
        for box in node.boxes:
            self._box(box)
        for note in node.coverage_notes:
            self.par(note, "Note de couverture")
        for child in node.children:
            self.node(child)

    def _quote(self, quote: ReportQuote) -> None:
        p = self.par(guillemets(quote.text), "Quote")
        who = quote.attribution_label()
        if who:
            run = p.add_run(f" ({who})")
            run.italic = False
            run.font.color.rgb = MUTED

    def _box(self, box: Box) -> None:
        table = self.doc.add_table(rows=1, cols=1)
        cell = table.cell(0, 0)
        cell.width = TEXT_WIDTH
        _shade(cell._tc, SHADE)
        _top_border(table._tbl)
        label = cell.paragraphs[0]
        label._p.style = self.s["Encadré étiquette"]
        label.add_run(box.label)
        self.par(box.title, "Encadré titre", cell)
        for para in box.paragraphs:
            self._blocks(parse(para), None, container=cell)
        self.par("", "Espace")  # keeps consecutive boxes apart

    def par(self, text: str = "", style: str | None = None, container=None) -> Paragraph:
        """A paragraph in `style` (a style name). The style id is set directly: python-docx's
        `paragraph.style = …` scans every style of the document on each call."""
        p = (container or self.doc).add_paragraph(text)
        if style:
            p._p.style = self.s[style]
        return p

    def _blocks(self, blocks: list[Block], style: str | None, container=None) -> None:
        for block in blocks:
            for i, item in enumerate(block.items, 1):
                if block.kind == "ul":
                    p = self.par("", "List Bullet", container)
                elif block.kind == "ol":
                    p = self.par("", "Liste numérotée", container)
                    p.add_run(f"{i}.\t")
                else:
                    p = self.par("", style, container)
                _runs(p, item)

    def coverage(self) -> None:
        cov, labels = self.report.coverage, self.report.labels
        if not cov or cov.is_empty():
            return
        self.par(labels.coverage, "Heading 1")
        for title, items in (
            (labels.nodes_without_evidence, cov.nodes_without_evidence),
            (labels.organisations_never_cited, cov.organisations_never_cited),
        ):
            if items:
                self.par(title, "Heading 2")
                for item in items:
                    self.par(item, "List Bullet")


def _cell_para(cell) -> Paragraph:
    """A table cell's paragraph, ragged right: justified short cells leave gaps."""
    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    return p


def _runs(p: Paragraph, runs: list[Run]) -> None:
    for run in runs:
        r = p.add_run(run.text)
        r.bold = run.bold or None
        r.italic = run.italic or None


def _styles(doc: DocxDocument) -> dict[str, str]:
    """Set up the document's styles; returns paragraph style name → style id."""
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "fr-FR")
    normal.element.get_or_add_rPr().append(lang)  # French spelling and hyphenation
    for level in range(1, 6):
        h = styles[f"Heading {level}"]
        h.font.color.rgb = ACCENT
        h.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    styles["Heading 1"].paragraph_format.page_break_before = True
    styles["Title"].font.color.rgb = ACCENT
    for name in ("Title", "Subtitle", "TOC Heading", "Caption", "Header", "Footer"):
        styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    for name in ("Header", "Footer"):  # field results take the paragraph's look
        styles[name].font.size = Pt(8)
        styles[name].font.color.rgb = MUTED
    styles["Caption"].font.color.rgb = MUTED
    quote = styles["Quote"]
    quote.font.italic = True
    quote.font.color.rgb = RGBColor(0x1D, 0x2B, 0x2A)
    quote.paragraph_format.left_indent = Cm(1)
    quote.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    quote.paragraph_format.keep_together = True

    def add(
        name: str,
        italic=False,
        bold=False,
        size=None,
        colour=None,
        indent=None,
        shade=None,
        before=None,
        after=None,
    ) -> None:
        st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = normal
        st.quick_style = True
        st.font.italic, st.font.bold = italic or None, bold or None
        if size:
            st.font.size = Pt(size)
        if colour:
            st.font.color.rgb = colour
        if indent is not None:
            st.paragraph_format.left_indent = indent
        if before is not None:
            st.paragraph_format.space_before = before
        if after is not None:
            st.paragraph_format.space_after = after
        if shade:
            _shade(st.element.get_or_add_pPr(), shade)

    add("Question directrice", italic=True, colour=MUTED, indent=Cm(0.5), after=Pt(2))
    add("Brouillon", shade=DRAFT_SHADE)
    add("Exemples", colour=MUTED)
    add("Note de couverture", italic=True, size=9, colour=MUTED)
    add("Encadré étiquette", bold=True, size=8, colour=ACCENT, before=Pt(4), after=Pt(2))
    add("Encadré titre", bold=True, after=Pt(4))
    add("Liste numérotée", indent=Cm(0.63))
    add("Espace", size=4, after=Pt(0))
    for name in ("Encadré titre", "Question directrice", "Exemples"):
        styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    styles["Encadré étiquette"].font.all_caps = True
    styles["Encadré étiquette"].paragraph_format.keep_with_next = True
    styles["Encadré titre"].paragraph_format.keep_with_next = True
    styles["Liste numérotée"].paragraph_format.first_line_indent = Cm(-0.63)
    names = [
        "Title",
        "Subtitle",
        "TOC Heading",
        "Caption",
        "Quote",
        "List Bullet",
        "Question directrice",
        "Brouillon",
        "Exemples",
        "Note de couverture",
        "Encadré étiquette",
        "Encadré titre",
        "Liste numérotée",
        "Espace",
        *(f"Heading {i}" for i in range(1, 6)),
    ]
    return {n: styles[n].style_id for n in names}


def _shade(parent, fill: str) -> None:
    """Background shading on a paragraph's pPr or a cell's tc."""
    props = parent.get_or_add_tcPr() if parent.tag == qn("w:tc") else parent
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    props.append(shd)


def _top_border(tbl) -> None:
    borders = OxmlElement("w:tblBorders")
    top = OxmlElement("w:top")
    for key, value in (("val", "single"), ("sz", "18"), ("space", "0"), ("color", "1F5F5B")):
        top.set(qn(f"w:{key}"), value)
    borders.append(top)
    tbl.tblPr.append(borders)


def _fld_char(kind: str) -> OxmlElement:
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    return el


def _instr(p: Paragraph, code: str) -> None:
    p.add_run()._r.append(_fld_char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {code} "
    p.add_run()._r.append(instr)
    p.add_run()._r.append(_fld_char("separate"))


def _field(p: Paragraph, code: str, cached: str) -> None:
    _instr(p, code)
    p.add_run(cached)
    p.add_run()._r.append(_fld_char("end"))


def _field_span(first: Paragraph, last: Paragraph, code: str) -> None:
    """A field whose cached result spans paragraphs `first` … `last` (how Word stores a TOC)."""
    existing = list(first._p.r_lst)
    _instr(first, code)
    for r in existing:  # move the begin/instr/separate runs before the cached text
        first._p.append(r)
    last.add_run()._r.append(_fld_char("end"))
