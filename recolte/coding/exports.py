"""Tables as CSV or XLSX downloads."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def table_bytes(header: list[str], rows: list[list], fmt: str) -> bytes:
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
        return ("\ufeff" + out.getvalue()).encode()  # BOM: spreadsheets then read UTF-8
    book = Workbook()
    sheet = book.active
    sheet.append([str(h) for h in header])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_response(name: str, header: list[str], rows: list[list], fmt: str) -> HttpResponse:
    fmt = fmt if fmt in CONTENT_TYPES else "csv"
    response = HttpResponse(table_bytes(header, rows, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
