"""Hostile files built in code, shared by the tests and bench/bench_hostile_files.py."""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from xml.sax.saxutils import escape

from . import fixtures_gen as fx

MB = 1024 * 1024
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WORDS = (
    "le",
    "la",
    "les",
    "de",
    "des",
    "un",
    "une",
    "groupement",
    "femmes",
    "moulin",
    "caisse",
    "épargne",
    "formation",
    "marché",
)


def lying_member(base: bytes, name: str, megabytes: int, declared: int = 4096) -> bytes:
    """A copy of the archive `base` whose member `name` inflates to `megabytes` MB while its
    headers declare `declared` bytes (with the CRC of those first bytes, so a reader that
    truncates to the declared size accepts it)."""
    source = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    chunk = b"<" * MB
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != name:
                archive.writestr(info.filename, source.read(info))
        with archive.open(name, "w") as member:
            for _ in range(megabytes):
                member.write(chunk)
    data = bytearray(out.getvalue())
    crc = zlib.crc32(chunk[:declared])
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        local = archive.getinfo(name).header_offset
        central = archive.start_dir
    struct.pack_into("<I", data, local + 14, crc)
    struct.pack_into("<I", data, local + 22, declared)
    while data[central : central + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, central + 28)
        if data[central + 46 : central + 46 + name_len] == name.encode():
            struct.pack_into("<I", data, central + 16, crc)
            struct.pack_into("<I", data, central + 24, declared)
        central += 46 + name_len + extra_len + comment_len
    return bytes(data)


def lying_bomb_docx(megabytes: int) -> bytes:
    """The probe's DOCX: document.xml declares 4 KiB and inflates to `megabytes` MB."""
    return lying_member(fx.docx_bytes(), "word/document.xml", megabytes)


def big_xml_docx(xml_megabytes: float, seed: int = 13) -> bytes:
    """A valid DOCX whose document.xml holds about `xml_megabytes` MB of ordinary paragraphs."""
    rng = random.Random(seed)
    paragraphs = []
    size = 0
    while size < xml_megabytes * MB:
        runs = "".join(
            f'<w:r><w:rPr><w:b w:val="{rng.randint(0, 1)}"/><w:sz w:val="22"/></w:rPr>'
            f'<w:t xml:space="preserve">{escape(" ".join(rng.choices(WORDS, k=5)))} </w:t></w:r>'
            for _ in range(8)
        )
        paragraph = f'<w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr>{runs}</w:p>'
        paragraphs.append(paragraph)
        size += len(paragraph)
    body = "".join(paragraphs)
    document = f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    return fx.replace_member(fx.docx_bytes(), "word/document.xml", document.encode())


def nested_html(depth: int, tag: str = "div") -> bytes:
    return (f"<html><body>{f'<{tag}>' * depth}profond{f'</{tag}>' * depth}</body></html>").encode()


def nested_tables_docx(depth: int) -> bytes:
    """A DOCX whose body is `depth` tables each nested in the single cell of the one above."""
    opened = "<w:tbl><w:tr><w:tc>" * depth
    closed = "<w:p><w:r><w:t>fond</w:t></w:r></w:p>" + "</w:tc></w:tr></w:tbl><w:p/>" * depth
    document = f'<w:document xmlns:w="{W_NS}"><w:body>{opened}{closed}</w:body></w:document>'
    return fx.replace_member(fx.docx_bytes(), "word/document.xml", document.encode())


def big_xml_odt(xml_megabytes: float, seed: int = 13) -> bytes:
    """A valid ODT whose content.xml holds about `xml_megabytes` MB of styled paragraphs."""
    rng = random.Random(seed)
    content = zipfile.ZipFile(io.BytesIO(fx.odt_bytes())).read("content.xml").decode()
    head, rest = content.split("<office:text>", 1)
    tail = rest.split("</office:text>", 1)[1]
    paragraphs = []
    size = 0
    while size < xml_megabytes * MB:
        spans = "".join(
            f'<text:span text:style-name="T{rng.randint(1, 3)}">'
            f"{escape(' '.join(rng.choices(WORDS, k=5)))} </text:span>"
            for _ in range(8)
        )
        paragraphs.append(f"<text:p>{spans}</text:p>")
        size += len(paragraphs[-1])
    body = f"{head}<office:text>{''.join(paragraphs)}</office:text>{tail}"
    return fx.replace_member(fx.odt_bytes(), "content.xml", body.encode())
