"""A small document model: what a plan export contains, already translated into one language.

The app layer fills it (texts from the catalogues, dates formatted for the locale); the renderers
only lay it out, so PDF and DOCX always hold the same content.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    bold: bool = False


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Block = Paragraph | Bullets | Table


@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    """One plan document: a title, label/value facts at the top, then sections."""

    title: str
    language: str  # lv | ru, for document metadata
    facts: tuple[tuple[str, str], ...] = ()
    sections: tuple[Section, ...] = field(default_factory=tuple)
    footer: str = ""
