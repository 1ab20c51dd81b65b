"""The loaded knowledge base: articles by id and language, sections, and the catalogue."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge.articles import article_paths, read_raw, to_article
from bot.knowledge.catalogue import Catalogue
from bot.knowledge.catalogue_file import build_catalogue, read_catalogue_data
from bot.knowledge.codes import LANGS, SECTIONS
from bot.knowledge.model import Article
from bot.knowledge.source import ContentError
from bot.paths import content_dir


class KnowledgeError(Exception):
    """The knowledge base cannot be loaded; `python -m bot kb check` says where and why."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    root: Path
    catalogue: Catalogue
    _articles: dict[tuple[str, str], Article]

    @classmethod
    def load(cls, root: Path | None = None) -> KnowledgeBase:
        """Load (once per root; later calls reuse it) the articles and the catalogue."""
        return _load((root or content_dir("knowledge")).resolve())

    @classmethod
    def of(
        cls, articles: Iterable[Article], catalogue: Catalogue, root: Path = Path()
    ) -> KnowledgeBase:
        """A knowledge base from values (tests, generated content); nothing is read from disk."""
        return cls(root=root, catalogue=catalogue, _articles={(a.id, a.lang): a for a in articles})

    def article(self, id: str, lang: str) -> Article | None:
        return self._articles.get((id, lang))

    def articles(self, lang: str) -> list[Article]:
        """Articles of one language, in section order and then by id."""
        order = {s: i for i, s in enumerate(SECTIONS)}
        found = [a for (_, a_lang), a in self._articles.items() if a_lang == lang]
        return sorted(found, key=lambda a: (order.get(a.section, len(order)), a.id))

    def ids(self) -> list[str]:
        return sorted({id for id, _ in self._articles})

    def sections(self) -> tuple[str, ...]:
        return SECTIONS

    def by_section(self, section: str, lang: str) -> list[Article]:
        return [a for a in self.articles(lang) if a.section == section]


@functools.cache
def _load(root: Path) -> KnowledgeBase:
    articles: dict[tuple[str, str], Article] = {}
    for path in article_paths(root):
        if path.parent.name not in LANGS:
            continue
        try:
            article = to_article(read_raw(path))
        except ContentError as exc:
            raise KnowledgeError(path, exc.line, exc.message) from exc
        articles[(article.id, article.lang)] = article
    try:
        _, data = read_catalogue_data(root)
        catalogue = build_catalogue(data)
    except ContentError as exc:
        raise KnowledgeError(root / "catalogue.yaml", exc.line, exc.message) from exc
    return KnowledgeBase(root=root, catalogue=catalogue, _articles=articles)
