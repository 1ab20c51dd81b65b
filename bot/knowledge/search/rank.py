"""Scoring a resolved query against one language's index, calibrated to 0..1.

Two signals, each already in 0..1, are blended:
- relevance: BM25F summed over the query's concepts, divided by the score of an ideal document
  that matched every concept perfectly; unknown words count in that ideal, so a query the index
  only half understands cannot score high;
- heading match: the share of the query's concepts (by idf) found together in one title or one
  alternate question. Questions are asked the way those headings are written, and a heading that
  holds the whole query is strong evidence that the article is about it.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from bot.knowledge.search.concept import Concept
from bot.knowledge.search.index import LangIndex

HEADING_SHARE = 0.3  # of the final score
CANDIDATES = 30  # documents, best by relevance, whose headings are compared
# A term that could add at most this share of the ideal score is skipped: such terms are the
# commonest ones ("skola", "план") with the longest posting lists (same figures without it).
NEGLIGIBLE = 0.02


def rank(index: LangIndex, concepts: Sequence[Concept], ideal: float) -> list[tuple[int, float]]:
    """(document number, score in 0..1) for the best matching documents, best first."""
    raw: dict[int, float] = {}
    floor = NEGLIGIBLE * ideal
    for concept in concepts:
        for doc, value in index.bm25.best(concept.terms, concept.ideal, floor).items():
            raw[doc] = raw.get(doc, 0.0) + value
    top = heapq.nlargest(CANDIDATES, raw.items(), key=lambda item: item[1])
    readings = _readings(concepts)
    scored = {
        doc: (1.0 - HEADING_SHARE) * min(1.0, value / ideal)
        + HEADING_SHARE * min(1.0, _heading_match(index.headings[doc], readings) / ideal)
        for doc, value in top
    }
    return sorted(scored.items(), key=lambda item: (-item[1], index.ids[item[0]]))


def _readings(concepts: Sequence[Concept]) -> dict[str, list[tuple[int, float]]]:
    """Term -> (concept number, what the term is worth for that concept)."""
    found: dict[str, list[tuple[int, float]]] = {}
    for number, concept in enumerate(concepts):
        for term, weight in concept.terms.items():
            found.setdefault(term, []).append((number, weight * concept.ideal))
    return found


def _heading_match(headings: dict[str, int], readings: dict[str, list[tuple[int, float]]]) -> float:
    """The most of the query that one heading holds: each concept counted once, at its best."""
    per_heading: dict[int, dict[int, float]] = {}
    for term in readings.keys() & headings.keys():
        mask = headings[term]
        for number, value in readings[term]:
            bits = mask
            while bits:
                low = bits & -bits
                values = per_heading.setdefault(low, {})
                if value > values.get(number, 0.0):
                    values[number] = value
                bits ^= low
    return max((sum(v.values()) for v in per_heading.values()), default=0.0)
