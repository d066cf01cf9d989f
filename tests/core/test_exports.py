"""Exports: one module for CSV (comma or semicolon) and XLSX, formula-safe."""

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from core.exports import Column, ExportFormat, default_format, export_response, safe_cell

ROWS = [
    {"title": '=HYPERLINK("http://evil")', "where": "Libye", "n": 3},
    {"title": "Évaluation de l'âge", "where": "طرابلس", "n": -4},
]
COLUMNS = [
    Column("Titre", lambda r: r["title"]),
    Column("Lieu", lambda r: r["where"]),
    Column("Nombre", lambda r: r["n"]),
]


def _csv(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def test_csv_has_a_bom_and_neutralises_formulas():
    response = export_response(
        columns=COLUMNS, rows=ROWS, filename_stem="essai", export_format=ExportFormat.CSV
    )

    body = _csv(response)
    assert body.startswith("\ufeffTitre,Lieu,Nombre\r\n")
    assert "'=HYPERLINK" in body
    assert "'-4" in body
    assert "طرابلس" in body
    assert response["Content-Disposition"].startswith('attachment; filename="essai-')
    assert response["Content-Disposition"].endswith('.csv"')
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_semicolon_csv_for_french_spreadsheets():
    response = export_response(
        columns=COLUMNS, rows=ROWS, filename_stem="essai", export_format="csv-semicolon"
    )

    lines = _csv(response).splitlines()
    assert lines[0] == "\ufeffTitre;Lieu;Nombre"
    assert lines[2] == "Évaluation de l'âge;طرابلس;'-4"


def test_the_default_csv_follows_the_interface_language():
    with translation.override("fr"):
        assert default_format() == ExportFormat.CSV_SEMICOLON
    with translation.override("en"):
        assert default_format() == ExportFormat.CSV


def test_xlsx_cells_are_text_never_formulas():
    response = export_response(
        columns=COLUMNS, rows=ROWS, filename_stem="essai", export_format=ExportFormat.XLSX
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["Titre", "Lieu", "Nombre"]
    assert values[1][0] == '\'=HYPERLINK("http://evil")'
    assert all(c.data_type == "s" for row in sheet.iter_rows() for c in row)
    assert response["Content-Disposition"].endswith('.xlsx"')


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, ""), ("+33 1", "'+33 1"), ("@SUM", "'@SUM"), ("\tx", "'\tx"), ("ok", "ok"), (7, "7")],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected
