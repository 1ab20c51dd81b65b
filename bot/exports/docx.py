"""Plan documents as DOCX with python-docx, using Word's own styles so families can edit them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import assert_never

import docx
from docx.document import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table as WordTable

from bot.exports.model import Block, Bullets, Document, Paragraph, Table

# Word wants a locale tag for spell checking; the model carries only the language.
_LOCALES = {"lv": "lv-LV", "ru": "ru-RU"}


def write_docx(doc: Document, path: Path) -> Path:
    """Render the plan as an editable A4 Word document at path and return path."""
    out = docx.Document()
    _page_setup(out)
    _set_language(out, doc.language)
    _set_properties(out, doc)

    out.add_heading(doc.title, level=0)
    if doc.facts:
        facts = _grid(out, doc.facts, 2)
        for row in facts.rows:
            for run in row.cells[0].paragraphs[0].runs:
                run.bold = True
    for section in doc.sections:
        out.add_heading(section.heading, level=1)
        for block in section.blocks:
            _block(out, block)
    _footer(out, doc.footer)
    out.save(str(path))
    return path


def _set_properties(out: WordDocument, doc: Document) -> None:
    props = out.core_properties
    props.title = doc.title
    props.language = doc.language
    # The template carries python-docx's own author, comment and 2013 dates; Word would show them.
    props.author = props.comments = props.last_modified_by = ""
    props.created = props.modified = datetime.now(UTC)


def _page_setup(out: WordDocument) -> None:
    # python-docx's template is US Letter; Latvian schools print on A4.
    for section in out.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(18)
        section.top_margin = section.bottom_margin = Mm(18)


def _set_language(out: WordDocument, language: str) -> None:
    # The template's document default is en-US, which would mark every word as misspelt.
    rpr = out.styles.element.find(
        qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr")
    )
    if rpr is None:
        return
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), _LOCALES.get(language, language))


def _block(out: WordDocument, block: Block) -> None:
    match block:
        case Paragraph(text=text, bold=bold):
            out.add_paragraph().add_run(text).bold = bold
        case Bullets(items=items):
            for item in items:
                out.add_paragraph(item, style="List Bullet")
        case Table(headers=headers, rows=rows):
            width = max([len(headers), *(len(row) for row in rows)], default=0)
            if width == 0:
                return
            table = _grid(out, [*([headers] if headers else []), *rows], width)
            if headers:
                _mark_header(table)
        case _:
            assert_never(block)


def _grid(out: WordDocument, rows: Sequence[Sequence[str]], width: int) -> WordTable:
    # python-docx leaves add_table unannotated; the annotation keeps the rest checked.
    table: WordTable = out.add_table(rows=len(rows), cols=width, style="Table Grid")
    # Row by row: table.cell(r, c) rebuilds the whole grid on each call.
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=False):
            cell.text = text
    return table


def _mark_header(table: WordTable) -> None:
    header = table.rows[0]
    for cell in header.cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True
    # w:tblHeader makes Word repeat the row at the top of every page the table spans.
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(flag)


def _footer(out: WordDocument, text: str) -> None:
    paragraph = out.sections[0].footer.paragraphs[0]
    if text:
        paragraph.add_run(f"{text}\t")
    # A PAGE field: Word fills in the number of the page being printed.
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)
