"""Build test documents in code: every fixture is small, deterministic and self-made."""

from __future__ import annotations

import io
import textwrap
import zipfile
from email.message import EmailMessage

import docx
from odf.opendocument import OpenDocumentText
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, List, ListItem, P
from pypdf import PdfReader, PdfWriter

ACCENTS = "Où en est la coopérative de Ménaka ? Les élèves ont déjà reçu l’aide prévue."
FRENCH = (
    "La réunion de capitalisation s’est tenue à Ségou avec les équipes des deux associations. "
    "Les participantes ont décrit comment les groupements de femmes gèrent désormais le "
    "moulin et la caisse d’épargne. Elles ont souligné que la formation en gestion a changé "
    "leur façon de négocier avec les commerçants du marché hebdomadaire."
)


def docx_bytes(with_comment: bool = True) -> bytes:
    """Headings, a paragraph with a comment, a nested list, a table and a line break."""
    document = docx.Document()
    document.core_properties.title = "Atelier de Ségou"
    document.core_properties.language = "fr-FR"
    document.add_heading("Atelier de Ségou", level=1)
    para = document.add_paragraph("Les groupements ont présenté ")
    anchored = para.add_run("leurs résultats")
    para.add_run(" devant les élus.")
    if with_comment:
        document.add_comment(anchored, text="Préciser lesquels.", author="Awa")
    document.add_paragraph("Premier point", style="List Bullet")
    document.add_paragraph("Sous-point détaillé", style="List Bullet 2")
    document.add_paragraph("Second point", style="List Bullet")
    document.add_heading("Chiffres clés", level=2)
    table = document.add_table(rows=2, cols=3)
    values = (("Village", "Femmes", "Hommes"), ("Kayes", "12", "9"))
    for row, row_values in zip(table.rows, values, strict=True):
        for cell, value in zip(row.cells, row_values, strict=True):
            cell.text = value
    last = document.add_paragraph("Première ligne")
    last.add_run().add_break()
    last.add_run("deuxième ligne")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def replace_member(data: bytes, name: str, content: bytes) -> bytes:
    """A copy of a ZIP-based document with one member's bytes replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, content if info.filename == name else source.read(info))
    return out.getvalue()


def docx_zip_bomb(megabytes: int = 300) -> bytes:
    """A DOCX whose document.xml inflates to `megabytes` MB of zeros (~300 KB compressed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                member.write(chunk)
    return out.getvalue()


def odt_bytes() -> bytes:
    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Rapport d’étape"))
    document.text.addElement(P(text=FRENCH))
    items = List()
    for label in ("Eau potable", "Santé animale"):
        item = ListItem()
        item.addElement(P(text=label))
        items.addElement(item)
    document.text.addElement(items)
    table = Table(name="Budget")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for values in (("Poste", "Montant"), ("Forage", "1 200 €")):
        row = TableRow()
        for value in values:
            cell = TableCell()
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.text.addElement(table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf_string(text: str) -> str:
    out = []
    for byte in text.encode("cp1252"):
        char = chr(byte)
        out.append(f"\\{byte:03o}" if byte > 126 or char in "\\()" else char)
    return "(" + "".join(out) + ")"


def pdf_bytes(pages: list[list[str]], title: str | None = None, width: int = 80) -> bytes:
    """A PDF with a Helvetica text layer; each paragraph is wrapped at `width` characters.

    An empty paragraph list gives a page that only paints an image (a scan, for pypdf).
    """
    objects: list[bytes] = [b"", b""]  # catalog and page tree, filled in at the end
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    objects.append(
        b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace "
        b"/DeviceGray /BitsPerComponent 8 /Length 4 >>\nstream\n\x00\xff\xff\x00"
        b"\nendstream"
    )
    kids = []
    for paragraphs in pages:
        ops = ["q 200 0 0 200 100 400 cm /Im1 Do Q"] if not paragraphs else []
        ops.append("BT /F1 11 Tf 14 TL 50 790 Td")
        for paragraph in paragraphs:
            for line in textwrap.wrap(paragraph, width):
                ops.append(f"{_pdf_string(line)} Tj T*")
            ops.append("T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents "
            b"%d 0 R /Resources << /Font << /F1 3 0 R >> /XObject << /Im1 4 0 R >> "
            b">> >>" % len(objects)
        )
        kids.append(f"{len(objects)} 0 R")
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()
    info = ""
    if title:
        objects.append(f"<< /Title {_pdf_string(title)} >>".encode("latin-1"))
        info = f" /Info {len(objects)} 0 R"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{info} >>\n".encode()
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def encrypt_pdf(data: bytes, user_password: str, owner_password: str = "proprietaire") -> bytes:
    """RC4-128 encryption, which pypdf can open without the optional `cryptography` package."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password, owner_password, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


SRT = """1
00:00:01,000 --> 00:00:04,200
Awa: Bonjour à tous, on commence
la réunion à Ménaka 🌍.

2
00:00:04,500 --> 00:00:07,000
<i>Le moulin fonctionne depuis mars.</i>

3
00:01:02,250 --> 00:01:05,000
Dr Traoré : les élèves sont revenus.
"""

VTT = """WEBVTT - entretien

NOTE ceci n’est pas une réplique

intro
00:01.000 --> 00:03.500 align:start
<v Moussa Diarra>Nous avons créé la coopérative.</v>

00:00:04.000 --> 00:00:06.000
Ça a pris &amp; demandé du temps… 🙂
"""


def eml_bytes(html_only: bool = False) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Awa Traoré <awa@example.org>"
    msg["To"] = "equipe@example.org"
    msg["Subject"] = "Compte rendu de l’atelier"
    msg["Date"] = "Tue, 03 Mar 2026 10:15:00 +0000"
    if html_only:
        msg.set_content(
            "<html><body><p>Réunion <b>réussie</b>.</p><script>alert(1)</script>"
            "<ul><li>Eau</li><li>Santé</li></ul></body></html>",
            subtype="html",
        )
    else:
        msg.set_content("Bonjour,\n\nLa réunion s’est bien passée à Kayes.\n")
        msg.add_alternative("<p>Version <b>HTML</b> ignorée</p>", subtype="html")
        msg.add_attachment(
            b"%PDF-1.4 fake", maintype="application", subtype="pdf", filename="annexe.pdf"
        )
    return msg.as_bytes()


def mbox_bytes() -> bytes:
    parts = []
    for number, (sender, subject, body) in enumerate(
        (
            ("awa@example.org", "Premier retour", "Les semences sont arrivées.\n"),
            ("moussa@example.org", "Re: Premier retour", "Très bien, merci à l’équipe.\n"),
        ),
        start=1,
    ):
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = sender, "equipe@example.org", subject
        msg["Date"] = f"Wed, 0{number} Apr 2026 09:00:00 +0000"
        msg.set_content(body)
        parts.append(b"From " + sender.encode() + b" Wed Apr  1 09:00:00 2026\n" + msg.as_bytes())
    return b"\n".join(parts) + b"\n"
