"""Spreadsheet exports: a column spec and rows in, a CSV or XLSX download out.

- CSV is streamed, UTF-8 with a byte order mark (so spreadsheets read accents and Arabic),
  comma-separated, or semicolon-separated for spreadsheets in a French locale (a comma
  CSV opens in a single column in French Excel). The default follows the UI language.
- XLSX is written with openpyxl in write-only mode, every cell typed as text.
- Every cell is formula-safe: a value starting with `=`, `+`, `-`, `@`, tab or carriage
  return gets a leading apostrophe, so a feed title can never run as a formula.

Callers check permission, scope the rows and audit; `export_response` only writes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV (virgules)")
    CSV_SEMICOLON = "csv-semicolon", _("CSV pour Excel en français (points-virgules)")
    XLSX = "xlsx", _("Classeur Excel (.xlsx)")


@dataclass(frozen=True)
class Column:
    label: str
    value: Callable[[Any], Any]


def safe_cell(value) -> str:
    """Plain text for a spreadsheet cell, never a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(_("oui") if value else _("non"))
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def default_format(language: str | None = None) -> str:
    """Semicolon CSV for French users (their spreadsheets expect it), comma otherwise."""
    language = language or translation.get_language() or "fr"
    return ExportFormat.CSV_SEMICOLON if language.startswith("fr") else ExportFormat.CSV


class _Echo:
    """A file-like object whose write() returns the line (for the streaming writer)."""

    def write(self, value):
        return value


def _filename(stem: str, export_format: str) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    extension = "xlsx" if export_format == ExportFormat.XLSX else "csv"
    return f"{stem}-{stamp}.{extension}"


def _headers(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def csv_response(
    *, columns: Sequence[Column], rows: Iterable, filename: str, delimiter: str = ","
) -> StreamingHttpResponse:
    writer = csv.writer(_Echo(), delimiter=delimiter)
    # The body is produced after the view returns: keep the user's language.
    language = translation.get_language()

    def stream():
        yield "\ufeff"
        with translation.override(language):
            yield writer.writerow([str(c.label) for c in columns])
            for row in rows:
                yield writer.writerow([safe_cell(c.value(row)) for c in columns])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    return _headers(response, filename)


def xlsx_bytes(*, columns: Sequence[Column], rows: Iterable, sheet_title: str = "") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(str(sheet_title) or "Export")[:31])
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.label))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=safe_cell(column.value(row)))
            cell.data_type = "s"  # text, never a formula
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_response(
    *,
    columns: Sequence[Column],
    rows: Iterable,
    filename_stem: str,
    export_format: str,
    sheet_title: str = "",
) -> HttpResponse:
    """The download for `export_format` (an `ExportFormat` value)."""
    filename = _filename(filename_stem, export_format)
    if export_format == ExportFormat.XLSX:
        content = xlsx_bytes(columns=columns, rows=rows, sheet_title=sheet_title)
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        return _headers(response, filename)
    delimiter = ";" if export_format == ExportFormat.CSV_SEMICOLON else ","
    return csv_response(columns=columns, rows=rows, filename=filename, delimiter=delimiter)
