"""Search over the knowledge base: the public entry point."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.knowledge.base import KnowledgeBase
from bot.knowledge.catalogue import Catalogue
from bot.knowledge.codes import LANGS
from bot.knowledge.model import Article
from bot.knowledge.search.bands import Band, classify
from bot.knowledge.search.detect import detect_lang
from bot.knowledge.search.index import LangIndex
from bot.knowledge.search.query import MAX_CHARS, query_tokens, resolve
from bot.knowledge.search.rank import Prepared, rank

# Parents ask the same questions again and again: the reading of a recent text is kept.
ANALYSED = 256  # about 1.5 MB at most

Reading = tuple[LangIndex, Prepared]  # the index of the query's language, the query as its terms


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    lang: str  # the language asked for: show the article in it
    title: str
    score: float  # 0..1, comparable across queries (see bands.py)


class SearchIndex:
    """Both languages' indexes; build once at start (about 0.15 s) and share: they are read-only.

    The one thing that changes is a bounded cache of how recent questions were read.
    """

    def __init__(self, indexes: dict[str, LangIndex], titles: dict[tuple[str, str], str]) -> None:
        self._indexes = indexes
        self._titles = titles
        # A query's reading (its language, typo corrections, synonyms) depends on its text and
        # the user's language only, and the indexes never change.
        keep = functools.lru_cache(maxsize=ANALYSED)
        self._read: Callable[[str, str], Reading | None] = keep(self._read_afresh)

    @classmethod
    def build(cls, kb: KnowledgeBase) -> SearchIndex:
        return cls.from_articles([a for lang in LANGS for a in kb.articles(lang)], kb.catalogue)

    @classmethod
    def from_articles(cls, articles: Iterable[Article], catalogue: Catalogue) -> SearchIndex:
        by_lang: dict[str, list[Article]] = {lang: [] for lang in LANGS}
        for article in articles:
            by_lang.setdefault(article.lang, []).append(article)
        indexes = {lang: LangIndex.build(lang, found, catalogue) for lang, found in by_lang.items()}
        titles = {(a.id, a.lang): a.title for found in by_lang.values() for a in found}
        return cls(indexes, titles)

    def search(self, query: str, lang: str, limit: int = 5) -> list[Hit]:
        """Articles answering `query`, best first; `lang` is the user's language.

        The query's own language is detected (Cyrillic, Latvian letters or words, Russian in
        Latin letters), falling back to `lang`; hits carry titles in `lang`. Never raises on
        any text: empty, emoji-only or nonsense queries give [].
        """
        lang = lang if lang in LANGS else LANGS[0]
        if limit <= 0:
            return []
        # Only the first MAX_CHARS characters are read, so they are all the cache needs to keep.
        read = self._read(query[:MAX_CHARS], lang)
        if read is None:
            return []
        index, prepared = read
        ranked = rank(index, prepared, limit)
        return [self._hit(index.ids[doc], lang, score) for doc, score in ranked]

    def _read_afresh(self, text: str, lang: str) -> Reading | None:
        """The index of the text's language and the text as a query of it; None if nothing fits."""
        words = query_tokens(text)
        if not words:
            return None
        lv, ru = self._indexes["lv"], self._indexes["ru"]
        index = self._indexes[detect_lang(text, words, lv, ru, lang)]
        resolved = resolve(index, words)
        if not resolved.concepts or resolved.ideal <= 0:
            return None
        concepts = index.synonyms.expand(resolved.concepts)
        return index, Prepared.of(concepts, resolved.ideal)

    def query_lang(self, query: str, fallback: str) -> str:
        """The language the query is written in (`fallback` when it cannot be told)."""
        lv, ru = self._indexes["lv"], self._indexes["ru"]
        return detect_lang(query[:MAX_CHARS], query_tokens(query), lv, ru, fallback)

    def classify(self, hits: list[Hit]) -> Band:
        """CONFIDENT, CLOSE or NONE for hits of one search (thresholds in bands.py)."""
        return classify(hits)

    def _hit(self, id: str, lang: str, score: float) -> Hit:
        title = self._titles.get((id, lang)) or next(
            (t for (i, _), t in self._titles.items() if i == id), id
        )
        return Hit(id=id, lang=lang, title=title, score=round(score, 4))
