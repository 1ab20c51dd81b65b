"""PDF and DOCX exports: written to disk, read back, and every Latvian/Russian letter survives."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, PdfObject

from bot.exports import fonts
from bot.exports.docx import write_docx
from bot.exports.model import Bullets, Document, Paragraph, Section, Table
from bot.exports.pdf import write_pdf


@dataclass(frozen=True, slots=True)
class Texts:
    """Language-specific strings for one realistic plan."""

    language: str
    title: str
    facts: tuple[tuple[str, str], ...]
    headings: tuple[str, str, str]
    sentence: str
    bullets: tuple[str, ...]
    table_headers: tuple[str, str, str]
    cell_word: str
    must_survive: tuple[str, ...]
    footer: str


LATVIAN = Texts(
    language="lv",
    title="Individuālais atbalsta plāns — Ģimenes sadarbība",
    facts=(
        ("Skolēns", "Jānis Bērziņš"),
        ("Klase", "5.b"),
        ("Atbildīgais pedagogs", "Ķirsone Ļena"),
    ),
    headings=("Ģimenes iesaiste", "Kavējumi un mērķi", "Nodarbību grafiks"),
    sentence=(
        "Ģimene un skola kopā seko, lai kavējumi samazinātos; ķermeņa veselība, ēšanas "
        "paradumi, ņiprums un žēlums pret citiem tiek pārrunāti katru nedēļu. "
    ),
    bullets=("Ārsta zīmes iesniegšana", "Čaklāka mājasdarbu pildīšana", "Ūdens un ēdiens"),
    table_headers=("Datums", "Priekšmets", "Piezīmes par kavējumi"),
    cell_word="Matemātika",
    must_survive=("Ģimenes", "kavējumi", "āčēģīķļņšūž", "ĀČĒĢĪĶĻŅŠŪŽ"),
    footer="Pumpurs · konfidenciāli",
)

RUSSIAN = Texts(
    language="ru",
    title="Индивидуальный план поддержки — ребёнок и семья",
    facts=(
        ("Ученик", "Алёша Щукин"),
        ("Класс", "5-б"),
        ("Ответственный педагог", "Юлия Эйхвальд"),
    ),
    headings=("Пропуски занятий", "Цели на четверть", "Расписание консультаций"),
    sentence=(
        "Школа и семья вместе следят, чтобы ребёнок не имел пропусков; съешь же ещё этих "
        "мягких французских булок, да выпей чаю — это проверка всех букв. "
    ),
    bullets=("Справка от врача", "Ежедневный дневник", "Встреча с психологом"),
    table_headers=("Дата", "Предмет", "Заметки о пропусках"),
    cell_word="Математика",
    must_survive=("ребёнок", "Пропуски", "ёщъыэюя", "ЁЩЪЫЭЮЯ"),
    footer="Pumpurs · конфиденциально",
)


def make_document(texts: Texts, *, rows: int = 40) -> Document:
    """A plan the size of a real one: facts, long wrapped text, bullets and a 40-row table."""
    long_text = texts.sentence * (3200 // len(texts.sentence) + 1)
    table = Table(
        headers=texts.table_headers,
        rows=tuple(
            (f"2025-09-{n % 30 + 1:02d}", f"{texts.cell_word} {n}", texts.sentence * (n % 3))
            for n in range(1, rows + 1)
        ),
    )
    return Document(
        title=texts.title,
        language=texts.language,
        facts=texts.facts,
        sections=(
            Section(texts.headings[0], (Paragraph(texts.title, bold=True), Paragraph(long_text))),
            Section(
                texts.headings[1], (Bullets(texts.bullets), Paragraph(" ".join(texts.must_survive)))
            ),
            Section(texts.headings[2], (table,)),
        ),
        footer=texts.footer,
    )


def _flat(text: str) -> str:
    # Wrapping puts line breaks where the source had spaces; compare words, not layout.
    return " ".join(text.split())


def _pdf_text(path: Path) -> str:
    return _flat("\n".join(page.extract_text() for page in PdfReader(path).pages))


def _dictionary(value: object) -> DictionaryObject:
    value = value.get_object() if isinstance(value, PdfObject) else value
    assert isinstance(value, DictionaryObject)
    return value


def _pdf_font_names(path: Path) -> set[str]:
    names: set[str] = set()
    for page in PdfReader(path).pages:
        for font in _dictionary(_dictionary(page["/Resources"])["/Font"]).values():
            names.add(str(_dictionary(font)["/BaseFont"]))
    return names


def _docx_text(path: Path) -> str:
    word = docx.Document(str(path))
    parts = [p.text for p in word.paragraphs]
    parts += [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    parts += [p.text for p in word.sections[0].footer.paragraphs]
    return _flat("\n".join(parts))


def _expected(texts: Texts) -> list[str]:
    cells = [texts.table_headers[2], f"{texts.cell_word} 1", f"{texts.cell_word} 40", "2025-09-11"]
    facts = [item for pair in texts.facts for item in pair]
    return [texts.title, *texts.headings, *texts.bullets, *cells, *facts, *texts.must_survive]


@pytest.mark.parametrize("texts", [LATVIAN, RUSSIAN], ids=["lv", "ru"])
def test_pdf_reads_back_with_every_letter(texts: Texts, tmp_path: Path) -> None:
    path = write_pdf(make_document(texts), tmp_path / "plan-42.pdf")

    assert path == tmp_path / "plan-42.pdf"
    text = _pdf_text(path)
    missing = [s for s in _expected(texts) if s not in text]
    assert not missing, missing
    assert texts.footer in text
    reader = PdfReader(path)
    assert len(reader.pages) >= 3, "the long paragraph and 40 rows must flow across pages"
    assert f"1 / {len(reader.pages)}" in text
    # The header row repeats on each page the table spans, and only there.
    assert 2 <= text.count(texts.table_headers[2]) <= len(reader.pages)
    assert reader.metadata is not None and reader.metadata.title == texts.title
    assert str(_dictionary(reader.trailer["/Root"])["/Lang"]) == texts.language
    assert any("DejaVu" in name for name in _pdf_font_names(path))


@pytest.mark.parametrize("texts", [LATVIAN, RUSSIAN], ids=["lv", "ru"])
def test_docx_reads_back_with_every_letter(texts: Texts, tmp_path: Path) -> None:
    path = write_docx(make_document(texts), tmp_path / "plan-42.docx")

    assert path == tmp_path / "plan-42.docx"
    text = _docx_text(path)
    missing = [s for s in _expected(texts) if s not in text]
    assert not missing, missing
    assert texts.footer in text
    word = docx.Document(str(path))
    assert word.core_properties.title == texts.title
    assert word.core_properties.language == texts.language
    headings = [
        p.text for p in word.paragraphs if p.style is not None and p.style.name == "Heading 1"
    ]
    assert headings == list(texts.headings)
    table = word.tables[-1]
    assert len(table.rows) == 41
    assert [c.text for c in table.rows[0].cells] == list(texts.table_headers)


def test_ragged_empty_and_page_tall_tables_render(tmp_path: Path) -> None:
    tall = "Ļoti garš apraksts par ģimenes situāciju. " * 250  # taller than one A4 page
    doc = Document(
        title="Plāns",
        language="lv",
        sections=(
            Section("Tabula", (Table(("A", "B"), (("1",), ("2", "3", "4"))), Table((), ()))),
            Section("Garā rinda", (Table(("Nr.", "Apraksts"), (("1", tall), ("2", "beigas"))),)),
        ),
    )

    for text in (
        _pdf_text(write_pdf(doc, tmp_path / "p.pdf")),
        _docx_text(write_docx(doc, tmp_path / "p.docx")),
    ):
        assert "Tabula" in text and "Garā rinda" in text and "beigas" in text
        assert text.count("ģimenes situāciju") == 250


def test_missing_fonts_fail_with_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import matplotlib

    monkeypatch.setattr(matplotlib, "get_data_path", lambda: str(tmp_path))
    fonts.dejavu_sans.cache_clear()
    try:
        with pytest.raises(fonts.FontNotFoundError, match=r"DejaVuSans\.ttf.*matplotlib"):
            fonts.dejavu_sans()
    finally:
        fonts.dejavu_sans.cache_clear()


def test_files_with_personal_data_go_only_to_a_folder_no_one_else_can_enter(
    tmp_path: Path,
) -> None:
    import stat

    from bot.exports.private import private_file, private_folder

    mine = tmp_path / "mine"
    assert private_folder(mine) == mine  # made now, 0700
    assert stat.S_IMODE(mine.stat().st_mode) == 0o700
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)  # as a folder prepared in /tmp by someone else would be
    linked = tmp_path / "linked"
    linked.symlink_to(mine)
    for untrusted in (shared, linked):
        used = private_folder(untrusted)
        assert used not in (shared, linked, mine)
        assert stat.S_IMODE(used.stat().st_mode) == 0o700
        assert private_folder(untrusted) == used  # the same one for the whole run
    written = used / "plan-1-v1.pdf"
    written.write_bytes(b"%PDF")
    assert stat.S_IMODE(private_file(written).stat().st_mode) == 0o600
