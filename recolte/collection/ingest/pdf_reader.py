"""PDF text layer via pypdf; scanned PDFs are kept but flagged for a transcript."""

from __future__ import annotations

import io
import re

from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import DependencyError, PyPdfError

from .errors import PARSER_ERRORS, IngestError, corrupt
from .model import Extracted
from .text import first_line, join_blocks

_BULLET = re.compile(r"^[•▪◦●○■\-–*]\s+")
_HYPHENATED = re.compile(r"[^\W\d_]-$")
SHORT_LINE = 0.7  # a line shorter than this share of the page's longest line ends a paragraph


def _encrypted(detail: str = "") -> IngestError:
    return IngestError(
        "encrypted_pdf",
        _("This PDF is password-protected; remove the password and import it again.%(detail)s"),
        detail=detail,
    )


def page_paragraphs(raw: str) -> list[str]:
    """Rebuild paragraphs from a page's visual lines.

    Blank lines and bullets start a paragraph; a short line ends one unless the next line
    goes on in lower case (a heading wrapped in a large font); wrapped lines are joined and
    end-of-line hyphenation is undone.
    """
    lines = [line.strip() for line in raw.split("\n")]
    width = max((len(line) for line in lines), default=0)
    paragraphs: list[str] = []
    current = ""
    for index, line in enumerate(lines):
        bullet = _BULLET.match(line)
        if not line or bullet:
            paragraphs.append(current)
            current = ""
        if not line:
            continue
        if bullet:
            line = "- " + line[bullet.end() :]
        if not current:
            current = line
        elif _HYPHENATED.search(current) and line[:1].islower():
            current = current[:-1] + line
        else:
            current = f"{current} {line}"
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if len(line) < SHORT_LINE * width and not following[:1].islower():
            paragraphs.append(current)
            current = ""
    paragraphs.append(current)
    return [p for p in paragraphs if p]


def read_pdf(data: bytes) -> Extracted:
    warnings: list[str] = []
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise _encrypted()
            except DependencyError as exc:
                # AES needs the `cryptography` package; without it even an empty password fails.
                raise _encrypted(" (AES)") from exc
        pages = list(reader.pages)
        metadata = reader.metadata
        title = str(metadata.title or "") if metadata else ""
    except PyPdfError as exc:
        raise corrupt("pdf", exc) from exc
    blocks: list[str] = []
    empty_pages = []
    for number, page in enumerate(pages, start=1):
        try:
            paragraphs = page_paragraphs(page.extract_text() or "")
        except (PyPdfError, ZeroDivisionError, *PARSER_ERRORS) as exc:
            warnings.append(f"Page {number} could not be read ({str(exc)[:100]}).")
            paragraphs = []
        if not paragraphs:
            empty_pages.append(number)
        blocks.extend(paragraphs)
    text = join_blocks(blocks)
    if text and empty_pages:
        warnings.append(f"Pages without a text layer: {', '.join(map(str, empty_pages))}.")
    return Extracted(
        text=text,
        format="pdf",
        sha256="",
        title=title.strip() or first_line(text),
        needs_transcript=not any(c.isalnum() for c in text),
        warnings=warnings,
    )
