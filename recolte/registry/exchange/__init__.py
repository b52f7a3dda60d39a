"""Import and export of a programme's registry as JSON, XLSX or the reference-programme file.

Public API: ``registry_import``, ``registry_export``, ``RegistryImportReport``,
``RegistryImportError`` and ``Problem``. The formats are described in docs/registry-format.md.
"""

from pathlib import Path
from typing import Any, Literal

from django.utils.translation import gettext_lazy as _

from recolte.registry.models import Programme

from .caac import CAAC_KEYS, from_caac
from .json_format import document_from_programme, read_json, write_json
from .problems import Problem, RegistryImportError
from .store import RegistryImportReport, write_plan
from .validate import build_plan
from .xlsx_format import read_xlsx, write_xlsx

__all__ = [
    "RegistryImportReport",
    "Problem",
    "RegistryImportError",
    "registry_export",
    "registry_import",
]

Format = Literal["json", "xlsx", "caac"]
_ZIP_MAGIC = b"PK\x03\x04"


def _is_caac(data: Any) -> bool:
    return isinstance(data, dict) and "format" not in data and data.keys() >= CAAC_KEYS


def _document(data: Any, fmt: Format | None) -> tuple[Any, list[Problem]]:
    """Read ``data`` into a registry document, plus the problems met while reading."""
    if isinstance(data, str | Path):
        try:
            data = Path(data).read_bytes()
        except OSError as error:
            return None, [
                Problem(
                    "file",
                    None,
                    "",
                    _("Cannot read the file: %(error)s.") % {"error": error.strerror or error},
                )
            ]
    if isinstance(data, bytes):
        if fmt == "xlsx" or (fmt is None and data.startswith(_ZIP_MAGIC)):
            return read_xlsx(data)
        data, problems = read_json(data)
        if problems:
            return None, problems
    if fmt == "xlsx":
        return None, [Problem("file", None, "", _("The file is not an Excel workbook (.xlsx)."))]
    if not isinstance(data, dict):
        return None, [Problem("file", None, "", _("The file does not hold a JSON object."))]
    if fmt == "caac" or (fmt is None and _is_caac(data)):
        return from_caac(data)
    return data, []


def registry_import(
    *, data: dict | bytes | str | Path, fmt: Format | None = None
) -> RegistryImportReport:
    """Import a whole programme registry from a file path, raw bytes or a parsed JSON object.

    Guarantees: the file is checked completely before anything is written; if anything is wrong,
    ``RegistryImportError`` lists every problem with its location and the database is untouched.
    Otherwise everything is written in one transaction. Records are matched on natural keys
    (programme slug; axis kind and number; organisation acronym, else name; person first and
    last name within an organisation; pilot code), so importing the same file twice creates no
    duplicates. A pilot's partners, countries and axes become exactly those of the file; records
    absent from the file are left as they are. ``fmt`` None detects the format from the content.
    """
    doc, problems = _document(data, fmt)
    if doc is None:
        raise RegistryImportError(problems)
    return write_plan(build_plan(doc, problems))


def registry_export(*, programme: Programme | str, fmt: Literal["json", "xlsx"]) -> bytes:
    """The programme's whole registry as a file that ``registry_import`` reads back unchanged.

    ``programme`` is a Programme or its slug (Programme.DoesNotExist if unknown).
    """
    if isinstance(programme, str):
        programme = Programme.objects.get(slug=programme)
    doc = document_from_programme(programme)
    if fmt == "json":
        return write_json(doc)
    if fmt == "xlsx":
        return write_xlsx(doc)
    raise ValueError(f"Unknown export format {fmt!r}; use json or xlsx.")
