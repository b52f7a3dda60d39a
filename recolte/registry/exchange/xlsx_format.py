"""The registry as a workbook: one sheet per entity, lists as "; "-separated cells."""

from io import BytesIO
from typing import Any

from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from recolte import safezip
from recolte.registry.models import ORGANISATION_FIELDS
from recolte.registry.tables import Sheet, xlsx_bytes

from .problems import Problem
from .validate import FORMAT

PROGRAMME_FIELDS = (
    "slug",
    "name",
    "acronym",
    "start_year",
    "end_year",
    "budget",
    "currency",
    "summary",
    "funders",
    "capitalised_by",
    "is_published",
)
COLUMNS = {
    "axes": ("kind", "number", "title", "description"),
    "organisations": tuple(spec.name for spec in ORGANISATION_FIELDS if spec.exported),
    "people": ("first_name", "last_name", "organisation", "role", "email"),
    "pilot_operations": (
        "code",
        "title",
        "lead",
        "countries",
        "territories",
        "axes",
        "summary",
        "shared_stake",
        "start_year",
        "end_year",
        "is_published",
    ),
    "partners": ("pilot_code", "organisation", "role"),
}
REQUIRED_COLUMNS = {
    "axes": ("kind", "number", "title"),
    "organisations": ("name", "nature"),
    "people": ("first_name", "organisation"),
    "pilot_operations": ("code", "title", "lead"),
    "partners": ("pilot_code", "organisation"),
}
OPTIONAL_SHEETS = ("people", "partners")
_NOT_XLSX = _("The file is not an Excel workbook (.xlsx).")


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(value)
    return value


def write_xlsx(doc: dict[str, Any]) -> bytes:
    """A workbook holding the same content as the JSON document ``doc``."""
    partners = [
        {"pilot_code": op["code"], **link}
        for op in doc["pilot_operations"]
        for link in op["partners"]
    ]
    programme = Sheet(
        "programme",
        ["field", "value"],
        [[name, _cell(doc["programme"].get(name))] for name in PROGRAMME_FIELDS],
    )
    return xlsx_bytes(
        [programme]
        + [
            Sheet(
                title,
                columns,
                [
                    [_cell(rec.get(name)) for name in columns]
                    for rec in (partners if title == "partners" else doc[title])
                ],
            )
            for title, columns in COLUMNS.items()
        ]
    )


def _rows(sheet, title: str, problems: list[Problem]) -> list[dict[str, Any]]:
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip().lower() if h is not None else "" for h in next(rows, ())]
    missing = [c for c in REQUIRED_COLUMNS[title] if c not in header]
    for column in missing:
        problems.append(Problem(title, 1, column, _("Missing column.")))
    if missing:
        return []
    records = []
    for number, row in enumerate(rows, start=2):
        if all(v in (None, "") for v in row):
            continue
        rec = {name: value for name, value in zip(header, row, strict=False) if name}
        rec["_loc"] = (title, number)
        records.append(rec)
    return records


def _programme(sheet) -> dict[str, Any]:
    values = {}
    for row in sheet.iter_rows(min_row=2, max_col=2, values_only=True):
        key, value = (*row, None, None)[:2]
        if key:
            values[str(key).strip().lower()] = value
    return values


def read_xlsx(raw: bytes) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Turn a workbook into a registry document; reading problems come back as a list."""
    try:
        # openpyxl would trust the sizes the archive declares: it reads a capped copy.
        book = load_workbook(BytesIO(safezip.inflate(raw)), read_only=True, data_only=True)
    except safezip.ZipRefused as exc:
        message = exc.message if exc.code == "zip_bomb" else _NOT_XLSX
        return None, [Problem("file", None, "", message)]
    except Exception:  # openpyxl raises many kinds of error on a damaged or foreign file.
        return None, [Problem("file", None, "", _NOT_XLSX)]
    problems: list[Problem] = []
    doc: dict[str, Any] = {"format": FORMAT}
    try:
        for title in ("programme", *COLUMNS):
            if title not in book.sheetnames:
                if title not in OPTIONAL_SHEETS:
                    problems.append(
                        Problem(title, None, "", _("Missing sheet %(name)s.") % {"name": title})
                    )
                doc[title] = [] if title != "programme" else {}
            elif title == "programme":
                doc[title] = _programme(book[title])
            else:
                doc[title] = _rows(book[title], title, problems)
    except Exception:  # read-only sheets are parsed while iterated: damage surfaces here.
        book.close()
        return None, [Problem("file", None, "", _NOT_XLSX)]
    pilots = {str(op.get("code") or "").strip(): op for op in doc["pilot_operations"]}
    for op in doc["pilot_operations"]:
        op["partners"] = []
    for link in doc.pop("partners"):
        code = str(link.pop("pilot_code") or "").strip()
        if code in pilots:
            pilots[code]["partners"].append(link)
        else:
            sheet, row = link["_loc"]
            problems.append(
                Problem(
                    sheet,
                    row,
                    "pilot_code",
                    _("No pilot operation has code %(code)s.") % {"code": code},
                )
            )
    book.close()
    return doc, problems
