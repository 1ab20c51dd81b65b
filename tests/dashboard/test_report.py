"""The school report for the municipality: it opens as a spreadsheet, counts right, names nobody."""

from __future__ import annotations

import asyncio
import csv
import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from tests.dashboard.seed import (
    COORD,
    MUNICIPAL,
    OTHER,
    SECRET_PUPIL,
    invite,
    school_with_plans,
)
from tests.people.harness import Chat

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
PUPILS = ("Gaidītājs", "Kārlis", "Līva", "Marta", "Olga", "Pēteris", SECRET_PUPIL)


def read_xlsx(path: Path) -> list[list[str]]:
    """The first sheet's rows as text, read the way a spreadsheet program reads the file."""
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        types = ElementTree.fromstring(z.read("[Content_Types].xml"))
        assert any(o.get("PartName") == "/xl/workbook.xml" for o in types)
        ElementTree.fromstring(z.read("xl/workbook.xml"))
        ElementTree.fromstring(z.read("xl/styles.xml"))
        sheet = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))
    out = []
    for row in sheet.iterfind(".//m:sheetData/m:row", NS):
        cells = []
        for c in row.iterfind("m:c", NS):
            if c.get("t") == "inlineStr":
                cells.append("".join(t.text or "" for t in c.iterfind(".//m:t", NS)))
            else:
                cells.append(c.findtext("m:v", "", NS))
        out.append(cells)
    return out


def _document(chat: Chat) -> Path:
    (path,) = [r.document for turn in chat._turns for r in turn.replies if r.document]
    assert path is not None
    return Path(path)


def _all_bytes(path: Path) -> bytes:
    """The file, and each part inflated (an XLSX is a compressed zip)."""
    data = path.read_bytes()
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            data += b"".join(z.read(name) for name in z.namelist())
    return data


def _value(rows: list[list[str]], label: str) -> str:
    found = [r for r in rows if r and r[0] == label]
    assert len(found) == 1, (label, found)
    return found[0][1]


def test_xlsx_report_opens_and_counts(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        await school_with_plans(chat)
        await chat.say(COORD, "/dashboard")
        shown = await chat.press(COORD, "XLSX")
        assert any("bez skolēnu vārdiem" in s for s in shown)
        path = _document(chat)
        assert path.name == "report-valmieras-pamatskola-2026-11-30.xlsx"
        rows = read_xlsx(path)
        assert rows[0] == ["Individuālie atbalsta plāni: skolas atskaite"]
        assert ["Semestris", "2026/27-1"] in rows
        assert ["Rādītājs", "Valmieras pamatskola"] in rows
        expected = {
            "projekts": "1",
            "saskaņošanā": "10",
            "apstiprināts": "1",
            "īstenošanā": "2",
            "noslēgts (neaktīvs)": "0",  # last semester's closed plan is not this semester's
            "Skolēni ar aktīvu plānu": "13",
            "Mācību darba un izglītības iestādes riski": "13",
            "Ekonomiskie riski": "2",
            "Ar ģimeni saistītie riski": "0",
            "Konsultācijas": "2",
            "Izdevumu kompensācijas": "2",
            "Jauniešu iniciatīvu projekti": "0",
        }
        for label, value in expected.items():
            assert _value(rows, label) == value, label
        data = _all_bytes(path)
        for name in PUPILS:
            assert name.encode() not in data, name
        await chat.close()

    asyncio.run(go())


def test_csv_report_in_russian_for_excel(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        await school_with_plans(chat)
        await chat.say(MUNICIPAL, "/language")
        await chat.press(MUNICIPAL, "Русский")
        await chat.say(MUNICIPAL, "/dashboard")
        await chat.press(MUNICIPAL, "CSV")
        path = _document(chat)
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")  # the BOM makes Excel read UTF-8
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
        assert ["Показатель", "Valmieras pamatskola"] in rows
        assert _value(rows, "на согласовании") == "10"
        assert _value(rows, "Экономические риски") == "2"
        assert _value(rows, "Консультации") == "2"
        for name in PUPILS:
            assert name.encode() not in data, name
        await chat.close()

    asyncio.run(go())


def test_municipal_report_has_a_column_per_school_and_a_total(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        await school_with_plans(chat)
        await chat.say(MUNICIPAL, f"/start {await invite(chat, 'municipal_coordinator', OTHER)}")
        shown = "\n".join(await chat.say(MUNICIPAL, "/dashboard"))
        assert "Cēsu vidusskola, Valmieras pamatskola" in shown and "saskaņošanā: 11" in shown
        await chat.press(MUNICIPAL, "XLSX")
        path = _document(chat)
        assert path.name == "report-2-schools-2026-11-30.xlsx"
        rows = read_xlsx(path)
        assert ["Rādītājs", "Cēsu vidusskola", "Valmieras pamatskola", "Kopā"] in rows
        assert [r for r in rows if r and r[0] == "saskaņošanā"] == [
            ["saskaņošanā", "1", "10", "11"]
        ]
        assert [r for r in rows if r and r[0] == "Ekonomiskie riski"] == [
            ["Ekonomiskie riski", "1", "2", "3"]
        ]
        for name in PUPILS:
            assert name.encode() not in _all_bytes(path), name
        await chat.close()

    asyncio.run(go())
