"""What of an article is searched, and how much each part counts."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from bot.knowledge.catalogue import Catalogue
from bot.knowledge.model import Article
from bot.knowledge.search.analyze import article_terms
from bot.knowledge.search.bm25 import Field

# Titles, tags and alternate questions are written to name the topic, so a match there says
# most; the body is long and mentions many things in passing. (Measured on the dev and our own
# held-out queries: weighting the body as much as the title loses a tenth of the top-1 hits.)
FIELDS: tuple[Field, ...] = (
    Field("title", 4.0, 0.5),
    Field("alt", 1.5, 0.5),
    Field("tags", 3.0, 0.3),
    Field("summary", 1.0, 0.6),
    Field("catalogue", 1.0, 0.5),
    Field("body", 0.3, 0.75),
)


def article_fields(article: Article, catalogue: Catalogue) -> dict[str, list[str]]:
    """The terms of each searched field of an article."""
    labels: list[str] = []
    for code in article.risk_factors:
        factor = catalogue.factor(code)
        if factor is not None:
            labels.append(factor.label.get(article.lang, ""))
    for code in article.measures:
        measure = catalogue.measure(code)
        if measure is not None:
            labels.append(measure.label.get(article.lang, ""))
    lang = article.lang

    def each(texts: Iterable[str]) -> list[str]:
        return [t for text in texts for t in article_terms(text, lang)]

    return {
        "title": article_terms(article.title, lang),
        "alt": each(article.alt_questions),
        "tags": each(article.tags),
        "summary": article_terms(article.summary, lang),
        "catalogue": each(labels),
        "body": article_terms(article.body, lang),
    }


def headings(article: Article) -> dict[str, tuple[int, ...]]:
    """Terms of the texts that name the article's topic (the title, then each question).

    Term -> numbers of the headings holding it, so that a query is matched against each heading
    by looking up only the terms it shares with the article.
    """
    masks: dict[str, int] = {}
    for number, text in enumerate((article.title, *article.alt_questions)):
        for term in article_terms(text, article.lang):
            masks[term] = masks.get(term, 0) | (1 << number)
    return {term: _numbers(mask) for term, mask in masks.items()}


@functools.cache
def _numbers(mask: int) -> tuple[int, ...]:
    """The set bits of a mask; cached, so that articles share one tuple per combination."""
    return tuple(number for number in range(mask.bit_length()) if mask >> number & 1)
