"""Identify a file's real format from its bytes and refuse names that lie about it."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from recolte import safezip

from .errors import IngestError
from .text import utf16_without_bom

FORMATS = ("docx", "pdf", "odt", "txt", "md", "html", "srt", "vtt", "eml", "mbox")
BINARY = frozenset({"docx", "pdf", "odt"})

EXTENSIONS = {
    ".docx": "docx",
    ".pdf": "pdf",
    ".odt": "odt",
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".srt": "srt",
    ".vtt": "vtt",
    ".eml": "eml",
    ".mbox": "mbox",
}

# The central directory's sizes refuse honest bombs early; they can lie, so parsers only ever
# read the copy `unzip()` inflated under the same limits.
LIMITS = safezip.DEFAULT
# odfpy builds a Python object per node: about 24× its XML (11.5 MB took 274 MB).
ODT_LIMITS = safezip.Limits(total=11 * safezip.MB, member=11 * safezip.MB)

_MAGIC = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", _("a legacy Office (.doc) or password-protected file")),
    (b"{\\rtf", _("an RTF file")),
    (b"\x89PNG", _("an image")),
    (b"\xff\xd8\xff", _("an image")),
    (b"GIF8", _("an image")),
    (b"II*\x00", _("an image")),
    (b"MM\x00*", _("an image")),
)
_SRT = re.compile(r"\A\d+[ \t]*\n[ \t]*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}[ \t]*-->")
_HEADER = re.compile(r"[A-Za-z][A-Za-z0-9-]*:")
_MAIL_HEADERS = frozenset(
    {"from", "to", "subject", "date", "received", "message-id", "mime-version", "return-path"}
)
_HTML = re.compile(r"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)


def _unsupported(what: str | Promise) -> IngestError:
    return IngestError(
        "unsupported",
        _("This file is %(what)s, which cannot be imported. Accepted formats: %(formats)s."),
        what=what,
        formats=", ".join(FORMATS),
    )


def check_zip(zf: zipfile.ZipFile) -> None:
    """Refuse archives that would inflate far beyond what a document needs."""
    infos = zf.infolist()
    markup = [i for i in infos if safezip.is_markup(i.filename)]  # media are never inflated
    total = sum(i.file_size for i in markup)
    ratio_bomb = any(
        i.file_size > LIMITS.ratio_floor and i.file_size > LIMITS.ratio * max(i.compress_size, 1)
        for i in markup
    )
    if len(infos) > LIMITS.members or total > LIMITS.total or ratio_bomb:
        raise _refused(safezip.too_big(LIMITS.total))
    if any(i.flag_bits & 0x1 for i in infos):
        raise _unsupported(_("an encrypted archive"))


def _refused(exc: safezip.ZipRefused) -> IngestError:
    if exc.code == "encrypted":
        return _unsupported(_("an encrypted archive"))
    return IngestError(exc.code, exc.template, **exc.params)


def unzip(data: bytes, limits: safezip.Limits | None = None) -> bytes:
    """A copy of the ZIP-based document `data` that parsers may open: its text parts inflated
    under `limits` (LIMITS by default) whatever the headers declare, its media left empty."""
    try:
        return safezip.inflate(data, limits=limits or LIMITS)
    except safezip.ZipRefused as exc:
        raise _refused(exc) from exc


def _zip_format(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            check_zip(zf)
            names = set(zf.namelist())
            mimetype = b""
            if "mimetype" in names:
                mimetype = (safezip.read_capped(zf, zf.getinfo("mimetype"), 200) or b"").strip()
    except safezip.ZipRefused as exc:
        raise _refused(exc) from exc
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError, EOFError) as exc:
        raise IngestError(
            "corrupt", _("The file looks like a ZIP-based document but its archive is damaged.")
        ) from exc
    if "word/document.xml" in names:
        return "docx"
    if mimetype == b"application/vnd.oasis.opendocument.text":
        return "odt"
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise _unsupported(_("an OpenDocument spreadsheet or presentation"))
    if any(n.startswith(("xl/", "ppt/")) for n in names):
        raise _unsupported(_("an Excel or PowerPoint file"))
    raise _unsupported(_("a ZIP archive"))


def _head_text(data: bytes) -> str:
    head = data[:4096]
    for bom, encoding in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[2:].decode(encoding, errors="ignore")
    wide = utf16_without_bom(head)
    if wide:
        return head.decode(wide, errors="ignore")
    if b"\x00" in head:
        raise _unsupported(_("a binary file"))
    return head.decode("utf-8", errors="ignore")


def _text_format(data: bytes) -> str:
    head = _head_text(data).lstrip("\ufeff \t\r\n").replace("\r\n", "\n")
    if head.startswith("WEBVTT"):
        return "vtt"
    if _SRT.match(head):
        return "srt"
    lines = head.split("\n", 30)
    if head.startswith("From ") and any(_HEADER.match(line) for line in lines[1:4]):
        return "mbox"
    names = {line.split(":", 1)[0].lower() for line in lines[:30] if _HEADER.match(line)}
    if len(names & _MAIL_HEADERS) >= 2 and _HEADER.match(lines[0]):
        return "eml"
    if _HTML.search(head[:1024]):
        return "html"
    return "txt"


def detect(data: bytes) -> str:
    """The format the content itself shows, ignoring the file name."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_format(data)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise _unsupported(what)
    return _text_format(data)


def sniff(data: bytes, filename: str) -> str:
    """The format to parse `data` as, refusing a name whose extension contradicts the content.

    Binary formats must match their extension exactly. Within text formats the extension
    states intent (an HTML snippet saved as .txt stays text); without a known extension
    the content decides.
    """
    if not data:
        raise IngestError("empty", _("The file is empty."))
    named = EXTENSIONS.get(PurePath(filename).suffix.lower())
    found = detect(data)
    if named is None or named == found:
        return found
    if named in BINARY or found in BINARY:
        raise IngestError(
            "type_mismatch",
            _("The file is named as %(named)s but its content is %(found)s."),
            named=named.upper(),
            found=found.upper(),
        )
    return named
