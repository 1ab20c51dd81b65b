"""The spreadsheet writer: valid XLSX parts, numbers as numbers, text escaped, CSV for Excel."""

from __future__ import annotations

import zipfile
from pathlib import Path

from bot.exports.sheet import Sheet, write_csv, write_xlsx
from tests.dashboard.test_report import read_xlsx

SHEET = Sheet(
    "Atskaite: 1/2 [test]",
    (("Rādītājs", "A & B <skola>"), ("Plāni", 3), (), ("Ж", 2.5)),
    frozenset({0}),
    (30.0, 20.0),
)


def test_xlsx_reads_back_with_text_escaped_and_numbers_typed(tmp_path: Path) -> None:
    path = write_xlsx(SHEET, tmp_path / "r.xlsx")
    assert read_xlsx(path) == [["Rādītājs", "A & B <skola>"], ["Plāni", "3"], [], ["Ж", "2.5"]]
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        workbook = z.read("xl/workbook.xml").decode()
    assert '<c r="B2"><v>3</v></c>' in sheet  # a number a spreadsheet can sum
    assert 'r="A1" t="inlineStr" s="1"' in sheet  # the header row is bold
    assert 'name="Atskaite  1 2  test"' in workbook  # characters Excel forbids in tab names


def test_many_columns_get_spreadsheet_letters(tmp_path: Path) -> None:
    wide = Sheet("x", (tuple(range(30)),))
    with zipfile.ZipFile(write_xlsx(wide, tmp_path / "w.xlsx")) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert 'r="Z1"' in sheet and 'r="AA1"' in sheet and 'r="AD1"' in sheet


def test_csv_has_bom_and_semicolons(tmp_path: Path) -> None:
    data = write_csv(SHEET, tmp_path / "r.csv").read_bytes()
    assert data.startswith("\ufeffRādītājs;A & B <skola>\r\n".encode())
    assert b"Pl\xc4\x81ni;3\r\n" in data
