"""The one writer of CSV and XLSX tables: every export of the project goes through here.

Cells come from users (answers, quotes, names), so text that a spreadsheet would read as a
formula (OWASP "CSV injection": a leading = + - @ TAB or CR) is neutralised. In CSV it gets a
leading single quote. In XLSX it stays as written, so that exports read back unchanged (the
registry round-trip), but is stored as a string with Excel's own "quote prefix" flag — what
Excel records when someone types '=… — so it is never a formula, not even after an edit.
Numbers are not text: a negative number stays a number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

Format = Literal["csv", "xlsx"]
CONTENT_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Sheet:
    title: str
    header: Sequence[Any]
    rows: Iterable[Sequence[Any]]


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    return "'" + value if is_formula_like(value) else value


def csv_bytes(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_cell(v) for v in header])
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")  # the BOM makes spreadsheet programs read UTF-8


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for table in sheets:
        sheet = book.create_sheet(table.title[:31])  # Excel's limit on sheet names
        sheet.append([str(h) for h in table.header])  # headers may be lazy translations
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(list(row))
        for line in sheet.iter_rows():
            for cell in line:
                if is_formula_like(cell.value):
                    cell.data_type = "s"  # openpyxl typed it "f" (formula) on a leading "="
                    cell.quotePrefix = True
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_bytes(
    *,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    fmt: Format,
    title: str | None = None,
) -> bytes:
    if fmt == "csv":
        return csv_bytes(header, rows)
    return xlsx_bytes([Sheet(title or _("Table"), header, rows)])


def table_response(
    *,
    name: str,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    fmt: Format,
    title: str | None = None,
) -> HttpResponse:
    """A download of the table; ``fmt`` must already be one of CONTENT_TYPES."""
    body = table_bytes(header=header, rows=rows, fmt=fmt, title=title)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
