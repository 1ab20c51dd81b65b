"""From text to index terms: fold, split, drop function words, stem by language."""

from __future__ import annotations

import functools

from bot.knowledge.search.normalize import cyrillic_share, has_latvian_marks, is_cyrillic, tokens
from bot.knowledge.search.stem_lv import stem_lv
from bot.knowledge.search.stem_ru import stem_ru
from bot.knowledge.search.stopwords import STOPWORDS
from bot.knowledge.search.translit import to_cyrillic


def term(token: str) -> str:
    """The index term of one folded token: Cyrillic by the Russian stemmer, Latin by the Latvian.

    Latin words inside Russian articles are Latvian terms (IAP, klases audzinātājs, e-klase), so
    the Latvian stemmer suits them in both indexes.
    """
    return stem_ru(token) if is_cyrillic(token) else stem_lv(token)


def is_stopword(token: str) -> bool:
    return token in STOPWORDS["lv"] or token in STOPWORDS["ru"]


def terms(text: str) -> list[str]:
    """Index terms of a text, in order (function words and single letters dropped)."""
    return [found for t in tokens(text) if (found := _content_term(t))]


def article_terms(text: str, lang: str) -> list[str]:
    """Index terms of one text of an article (a title, a question, a tag, the body).

    A Russian article may quote a question as people type it, in Latin letters ("kak ponjat chto
    rebenok ..."): such a text (no Cyrillic, no Latvian letters) is indexed as the Cyrillic it
    stands for, the same reading the search gives such queries.
    """
    if lang != "ru" or cyrillic_share(text) > 0 or has_latvian_marks(text):
        return terms(text)
    return [found for t in tokens(text) if (found := _translit_term(t))]


@functools.lru_cache(maxsize=262144)
def _content_term(token: str) -> str:
    """The term of a content word; empty for a function word or a single letter."""
    return "" if len(token) < 2 or is_stopword(token) else term(token)


@functools.lru_cache(maxsize=65536)
def _translit_term(token: str) -> str:
    cyrillic = to_cyrillic(token)
    return _content_term(cyrillic) if is_cyrillic(cyrillic) else _content_term(token)
