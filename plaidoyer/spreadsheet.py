"""Reading the stakeholder spreadsheet an advocacy officer already keeps (CSV or XLSX).

`read_table(name, data)` returns the header and the rows as text, or raises
`SpreadsheetError` with a message for the person who uploaded it (not a spreadsheet, too
big, empty…). Formulas are never evaluated: an XLSX formula cell is reported as such, and
the import refuses it (`services.imports`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000


class SpreadsheetError(ValueError):
    """The file cannot be read as a table; the message says why, in words."""


@dataclass(frozen=True)
class Cell:
    text: str
    formula: bool = False


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[tuple[int, list[Cell]]]  # (line number in the file, cells)


def _is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def read_table(name: str, data: bytes) -> Table:
    if not data:
        raise SpreadsheetError(_("Le fichier est vide."))
    if len(data) > MAX_BYTES:
        raise SpreadsheetError(_("Le fichier dépasse 5 Mo : découpez-le en plusieurs imports."))
    if _is_xlsx(data):
        table = _read_xlsx(data)
    elif name.lower().endswith((".xlsx", ".xls", ".ods")):
        raise SpreadsheetError(
            _("Ce classeur n'est pas au format .xlsx : enregistrez-le en .xlsx ou en .csv.")
        )
    else:
        table = _read_csv(data)
    if not any(h.strip() for h in table.header):
        raise SpreadsheetError(_("La première ligne doit donner le nom des colonnes."))
    if not table.rows:
        raise SpreadsheetError(_("Le fichier n'a aucune ligne sous les en-têtes."))
    if len(table.rows) > MAX_ROWS:
        raise SpreadsheetError(
            _("Le fichier a plus de %(n)s lignes : découpez-le en plusieurs imports.")
            % {"n": MAX_ROWS}
        )
    return table


def _read_csv(data: bytes) -> Table:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if "\x00" in text:
        raise SpreadsheetError(_("Ce fichier n'est ni un CSV ni un classeur .xlsx."))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    if first.count("\t") > max(first.count(";"), first.count(",")):
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        lines = list(reader)
    except csv.Error as error:
        raise SpreadsheetError(_("CSV illisible : %(error)s.") % {"error": error}) from None
    if not lines:
        raise SpreadsheetError(_("Le fichier est vide."))
    header = [h.strip() for h in lines[0]]
    rows = []
    for number, values in enumerate(lines[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        rows.append((number, [Cell(v) for v in values]))
    return Table(header=header, rows=rows)


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # any unreadable workbook gets the same answer
        raise SpreadsheetError(_("Ce classeur .xlsx est illisible ou protégé.")) from None
    sheet = workbook.worksheets[0]
    header: list[str] = []
    rows: list[tuple[int, list[Cell]]] = []
    for number, row in enumerate(sheet.iter_rows(), start=1):
        cells = []
        for cell in row:
            value = cell.value
            formula = getattr(cell, "data_type", "") == "f" or (
                isinstance(value, str) and value.startswith("=")
            )
            if value is None:
                text = ""
            elif isinstance(value, float) and value.is_integer():
                text = str(int(value))
            elif isinstance(value, bool):
                text = "oui" if value else "non"
            else:
                text = str(value)
            cells.append(Cell(text, formula))
        if number == 1:
            header = [c.text.strip() for c in cells]
            continue
        if any(c.text.strip() for c in cells):
            rows.append((number, cells))
        if len(rows) > MAX_ROWS:
            break
    workbook.close()
    return Table(header=header, rows=rows)
