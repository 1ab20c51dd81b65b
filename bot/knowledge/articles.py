"""Article files: `articles/{lang}/{id}.md`, YAML front matter and a Markdown body."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.knowledge.model import Article
from bot.knowledge.source import ContentError, Document, load_yaml, split_front_matter

TEXT_FIELDS: tuple[str, ...] = ("id", "lang", "title", "summary", "section")
LIST_FIELDS: tuple[str, ...] = (
    "audience",
    "tags",
    "alt_questions",
    "related",
    "risk_factors",
    "measures",
    "sources",
)
FIELDS: tuple[str, ...] = TEXT_FIELDS + LIST_FIELDS


@dataclass(frozen=True, slots=True)
class RawArticle:
    """An article file as written: its split text and the front matter mapping."""

    path: Path
    doc: Document
    data: dict[str, Any]


def article_paths(root: Path) -> list[Path]:
    """Every `articles/*/*.md` under a knowledge root, sorted."""
    return sorted((root / "articles").glob("*/*.md"))


def read_raw(path: Path) -> RawArticle:
    """Read and split one article file; ContentError when it cannot be parsed."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(1, f"cannot read the file: {exc}") from exc
    doc = split_front_matter(text)
    data = load_yaml(doc.front, doc.front_start)
    if not isinstance(data, dict):
        raise ContentError(doc.front_start, "the front matter must be a mapping of fields")
    return RawArticle(path=path, doc=doc, data=data)


def to_article(raw: RawArticle) -> Article:
    """Build the Article value; ContentError when a field has the wrong shape."""
    texts = {name: _text(raw, name) for name in TEXT_FIELDS}
    lists = {name: _strings(raw, name) for name in LIST_FIELDS}
    return Article(
        id=texts["id"],
        lang=texts["lang"],
        title=texts["title"],
        summary=texts["summary"],
        body=raw.doc.body.strip(),
        audience=lists["audience"],
        section=texts["section"],
        tags=lists["tags"],
        alt_questions=lists["alt_questions"],
        related=lists["related"],
        risk_factors=lists["risk_factors"],
        measures=lists["measures"],
        sources=lists["sources"],
        path=raw.path,
    )


def _text(raw: RawArticle, name: str) -> str:
    value = raw.data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ContentError(1, f"field '{name}' must be a non-empty text")
    return value.strip()


def _strings(raw: RawArticle, name: str) -> tuple[str, ...]:
    value = raw.data.get(name)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(_scalar(v) for v in value):
        raise ContentError(1, f"field '{name}' must be a list of texts")
    return tuple(str(v).strip() for v in value)


def _scalar(value: object) -> bool:
    # YAML reads unquoted yes/no/on/off as booleans: those must be quoted to mean words.
    return isinstance(value, str | int | float) and not isinstance(value, bool)
