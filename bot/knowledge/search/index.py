"""The search index of one language: BM25F over the articles, vocabulary and synonyms."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.knowledge.catalogue import Catalogue
from bot.knowledge.model import Article
from bot.knowledge.search.bm25 import Bm25F
from bot.knowledge.search.fields import FIELDS, article_fields, headings
from bot.knowledge.search.synonyms import SynonymGroups
from bot.knowledge.search.vocabulary import Vocabulary


@dataclass(frozen=True, slots=True)
class LangIndex:
    lang: str
    ids: tuple[str, ...]  # document number -> article id
    headings: tuple[dict[str, tuple[int, ...]], ...]  # document -> heading term -> heading numbers
    bm25: Bm25F
    vocab: Vocabulary
    synonyms: SynonymGroups

    @classmethod
    def build(cls, lang: str, articles: Sequence[Article], catalogue: Catalogue) -> LangIndex:
        docs = [article_fields(a, catalogue) for a in articles]
        bm25 = Bm25F.build(FIELDS, docs)
        vocab = Vocabulary.build(bm25.impacts)
        synonyms = SynonymGroups.build(catalogue.synonym_groups(lang), vocab.terms)
        return cls(
            lang=lang,
            ids=tuple(a.id for a in articles),
            headings=tuple(headings(a) for a in articles),
            bm25=bm25,
            vocab=vocab,
            synonyms=synonyms,
        )
