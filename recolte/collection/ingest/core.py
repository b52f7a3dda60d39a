"""`extract()`: size and type checks, then the parser for the detected format."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from pathlib import PurePath

from django.utils.translation import gettext_lazy as _

from .docx_reader import read_docx
from .errors import PARSER_ERRORS, IngestError, corrupt
from .formats import sniff
from .mail import read_eml, read_mbox
from .markup import read_html
from .model import Extracted
from .odt_reader import read_odt
from .pdf_reader import read_pdf
from .subtitles import read_subtitles
from .text import decode, first_line, language_hint, normalise

logger = logging.getLogger(__name__)
MAX_BYTES = 50 * 1024 * 1024
TITLE_LIMIT = 300
_MD_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$", re.MULTILINE)


def _read_plain(data: bytes, fmt: str) -> Extracted:
    decoded, encoding = decode(data)
    text = normalise(decoded)
    heading = _MD_HEADING.search(text) if fmt == "md" else None
    title = heading.group(1) if heading else first_line(text)
    return Extracted(text=text, format=fmt, sha256="", title=title, encoding=encoding)


READERS: dict[str, Callable[[bytes], Extracted]] = {
    "docx": read_docx,
    "odt": read_odt,
    "pdf": read_pdf,
    "html": read_html,
    "eml": read_eml,
    "mbox": read_mbox,
    "txt": lambda data: _read_plain(data, "txt"),
    "md": lambda data: _read_plain(data, "md"),
    "srt": lambda data: read_subtitles(data, "srt"),
    "vtt": lambda data: read_subtitles(data, "vtt"),
}


def extract(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES) -> Extracted:
    """Plain text and metadata of an uploaded document, or an `IngestError` saying why not.

    Nothing in the file is executed; ZIP-based formats are checked for bombs before parsing.
    """
    if len(data) > max_bytes:
        raise IngestError(
            "too_large",
            _("The file is %(size)s; the limit is %(limit)s."),
            size=_megabytes(len(data)),
            limit=_megabytes(max_bytes),
        )
    fmt = PurePath(filename).suffix.lstrip(".") or "uploaded"
    try:
        fmt = sniff(data, filename)
        result = READERS[fmt](data)
    except PARSER_ERRORS as exc:
        logger.warning("ingest: %s could not be parsed", filename, exc_info=True)
        raise corrupt(fmt, exc) from exc
    if not result.text and not result.needs_transcript:
        raise IngestError("empty", _("The file contains no text."))
    result.sha256 = hashlib.sha256(data).hexdigest()
    title = " ".join((result.title or PurePath(filename).stem).split())
    result.title = title if len(title) <= TITLE_LIMIT else title[: TITLE_LIMIT - 1] + "…"
    result.language_hint = result.language_hint or language_hint(result.text)
    return result


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
