"""Plan documents as A4 PDF with ReportLab, embedding DejaVu Sans so Latvian and Cyrillic render."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, partial
from pathlib import Path
from typing import Any, assert_never
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, ListFlowable, SimpleDocTemplate, TableStyle
from reportlab.platypus import Paragraph as Para
from reportlab.platypus import Table as Grid
from reportlab.platypus.doctemplate import LayoutError

from bot.exports.fonts import dejavu_sans
from bot.exports.model import Block, Bullets, Document, Paragraph, Table

_REGULAR, _BOLD, _OBLIQUE = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"
_MARGIN = 18 * mm
_WIDTH = A4[0] - 2 * _MARGIN

_BODY = ParagraphStyle("body", fontName=_REGULAR, fontSize=10, leading=13, spaceAfter=5)
_STRONG = ParagraphStyle("strong", parent=_BODY, fontName=_BOLD)
_ITEM = ParagraphStyle("item", parent=_BODY, spaceAfter=2)
_CELL = ParagraphStyle("cell", parent=_BODY, spaceAfter=0)
_CELL_BOLD = ParagraphStyle("cell_bold", parent=_CELL, fontName=_BOLD)
_HEADING = ParagraphStyle(
    "heading", parent=_STRONG, fontSize=13, leading=17, spaceBefore=8, keepWithNext=1
)
_TITLE = ParagraphStyle("title", parent=_HEADING, fontSize=16, leading=20, spaceAfter=10)

_CELLS = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 4)]
_FACTS_STYLE = TableStyle([*_CELLS, ("LINEBELOW", (0, 0), (-1, -1), 0.4, "#b0b8c4")])
_GRID_STYLE = TableStyle([*_CELLS, ("GRID", (0, 0), (-1, -1), 0.4, "#8a94a3")])
_HEADER_STYLE = TableStyle([("BACKGROUND", (0, 0), (-1, 0), "#e1e8f0")])


def write_pdf(doc: Document, path: Path) -> Path:
    """Render the plan as an A4 PDF at path and return path."""
    _register_fonts()
    try:
        _build(doc, path, split_rows=False)
    except LayoutError:
        # Only a table row taller than a page gets here. Splitting rows makes it fit, but
        # ReportLab then also draws a stray header row above each split, so it is the fallback.
        _build(doc, path, split_rows=True)
    return path


def _build(doc: Document, path: Path, *, split_rows: bool) -> None:
    story: list[Flowable] = [Para(_markup(doc.title), _TITLE)]
    if doc.facts:
        facts = [[Para(_markup(k), _CELL_BOLD), Para(_markup(v), _CELL)] for k, v in doc.facts]
        story.append(Grid(facts, colWidths=[_WIDTH / 3, _WIDTH * 2 / 3], style=_FACTS_STYLE))
    for section in doc.sections:
        story.append(Para(_markup(section.heading), _HEADING))
        for block in section.blocks:
            story.extend(_block(block, split_rows))
    template = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=_MARGIN,
        title=doc.title,
        lang=doc.language,
        # ReportLab would otherwise fill these with "(anonymous)" and "(unspecified)".
        author="",
        subject="",
        creator="",
        initialFontName=_REGULAR,
    )
    template.build(story, canvasmaker=partial(_FooterCanvas, footer=doc.footer))


@cache
def _register_fonts() -> None:
    # ReportLab keeps fonts in a process-wide registry: parse the TTF files once per process.
    fonts = dejavu_sans()
    for name, file in ((_REGULAR, fonts.regular), (_BOLD, fonts.bold), (_OBLIQUE, fonts.oblique)):
        pdfmetrics.registerFont(TTFont(name, str(file)))
    # Lets <b>/<i> markup pick the right face instead of falling back to Helvetica.
    pdfmetrics.registerFontFamily(_REGULAR, normal=_REGULAR, bold=_BOLD, italic=_OBLIQUE)


def _markup(text: str) -> str:
    # Paragraph parses XML-like markup: user text must not become tags, and newlines stay.
    return escape(text).replace("\n", "<br/>")


def _block(block: Block, split_rows: bool) -> list[Flowable]:
    match block:
        case Paragraph(text=text, bold=bold):
            return [Para(_markup(text), _STRONG if bold else _BODY)]
        case Bullets(items=items):
            paragraphs = [Para(_markup(item), _ITEM) for item in items]
            return [
                ListFlowable(
                    paragraphs,
                    bulletType="bullet",
                    start="•",
                    bulletFontName=_REGULAR,
                    bulletFontSize=10,
                    leftIndent=14,
                    spaceAfter=5,
                )
            ]
        case Table():
            return _table(block, split_rows)
        case _:
            assert_never(block)


def _table(block: Table, split_rows: bool) -> list[Flowable]:
    width = max([len(block.headers), *(len(row) for row in block.rows)], default=0)
    if width == 0:
        return []
    head = [_padded(block.headers, width)] if block.headers else []
    body = [_padded(row, width) for row in block.rows]
    data = [[Para(_markup(t), _CELL_BOLD) for t in row] for row in head]
    data += [[Para(_markup(t), _CELL) for t in row] for row in body]
    grid = Grid(
        data,
        colWidths=_column_widths([*head, *body], width),
        repeatRows=len(head),
        splitInRow=int(split_rows),
        spaceAfter=8,
        style=_GRID_STYLE,
    )
    if head:
        grid.setStyle(_HEADER_STYLE)
    return [grid]


def _padded(cells: Sequence[str], width: int) -> tuple[str, ...]:
    # A short row gets empty trailing cells so the grid stays rectangular.
    return (*cells, *("",) * (width - len(cells)))


def _column_widths(rows: Sequence[Sequence[str]], width: int) -> list[float]:
    # Wordy columns get more room; the clamp keeps short columns (dates, numbers) readable.
    weights = [float(min(max(max(len(row[i]) for row in rows), 6), 40)) for i in range(width)]
    return [_WIDTH * weight / sum(weights) for weight in weights]


class _FooterCanvas(Canvas):  # type: ignore[misc]  # ReportLab ships no type hints
    """Holds finished pages back until the end, so each footer can say "page / total"."""

    def __init__(self, *args: Any, footer: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._draw_footer(f"{number} / {total}")
            super().showPage()
        super().save()

    def _draw_footer(self, page: str) -> None:
        self.saveState()
        self.setFont(_REGULAR, 8)
        self.setFillGray(0.4)
        y = _MARGIN / 2
        self.drawRightString(_MARGIN + _WIDTH, y, page)
        self.drawString(_MARGIN, y, _fit(self._footer, _WIDTH - 20 * mm))
        self.restoreState()


def _fit(text: str, width: float) -> str:
    # One footer line: a long text is cut with an ellipsis rather than run into the page number.
    if pdfmetrics.stringWidth(text, _REGULAR, 8) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", _REGULAR, 8) > width:
        text = text[:-1]
    return text + "…"
