"""The single exception raised for a file that cannot be ingested."""

from __future__ import annotations

import zipfile
import zlib
from typing import Any

from django.utils.translation import gettext_lazy as _

CODES = (
    "too_large",
    "empty",
    "type_mismatch",
    "zip_bomb",
    "encrypted_pdf",
    "malformed_xml",
    "unsupported",
    "corrupt",
)


class IngestError(Exception):
    """A refused file: `code` is stable for programs, `message` is for people.

    `message` stays lazy (translated when displayed, in the reader's language);
    `params` fill its %(name)s placeholders at that moment.
    """

    def __init__(self, code: str, message: Any, **params: Any) -> None:
        if code not in CODES:
            raise ValueError(f"unknown ingest error code {code!r}")
        super().__init__(code)
        self.code = code
        self.template = message
        self.params = params

    @property
    def message(self) -> str:
        return str(self.template) % self.params if self.params else str(self.template)

    def __str__(self) -> str:
        return self.message


def corrupt(fmt: str, detail: object) -> IngestError:
    """A parser failed on damaged content; keep the parser's words for the logs."""
    return IngestError(
        "corrupt",
        _("The %(format)s file is damaged and could not be read (%(detail)s)."),
        format=fmt.upper(),
        detail=str(detail)[:200],
    )


# What third-party parsers raise on damaged input (zipfile, zlib, lxml, pypdf, email, odfpy).
# They are turned into "corrupt" at the boundary so callers only ever see IngestError.
PARSER_ERRORS = (
    ValueError,  # includes UnicodeError and lxml/pypdf errors derived from it
    LookupError,  # KeyError, IndexError, unknown charsets
    TypeError,
    AttributeError,
    AssertionError,
    NotImplementedError,
    EOFError,
    OSError,
    RecursionError,
    zipfile.BadZipFile,
    zlib.error,
)
