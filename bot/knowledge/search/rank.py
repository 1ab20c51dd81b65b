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
from dataclasses import dataclass
from operator import itemgetter

from bot.knowledge.search.concept import Concept
from bot.knowledge.search.index import LangIndex

HEADING_SHARE = 0.3  # of the final score
RELEVANCE_SHARE = 1.0 - HEADING_SHARE
CANDIDATES = 30  # documents, best by relevance, whose headings are compared
# A term that could add at most this share of the ideal score is skipped: such terms are the
# commonest ones ("skola", "план") with the longest posting lists (same figures without it).
NEGLIGIBLE = 0.02
# Room for rounding when a candidate is dropped because it cannot reach the results: far above
# the float error of a few additions, far below the 4 decimals scores are shown with.
SLACK = 1e-9

_by_value = itemgetter(1)


@dataclass(frozen=True, slots=True)
class Prepared:
    """What ranking needs of a query whatever the documents: worked out once per question."""

    concepts: tuple[Concept, ...]
    ideal: float  # what a document matching every word perfectly would score
    by_term: dict[str, list[tuple[int, float]]]  # term -> (concept number, worth for it)
    totals: dict[str, float]  # term -> its worths summed: a heading sharing only it scores that
    reach: float  # the most a heading match can add to a score

    @classmethod
    def of(cls, concepts: Sequence[Concept], ideal: float) -> Prepared:
        by_term: dict[str, list[tuple[int, float]]] = {}
        for number, concept in enumerate(concepts):
            for term, weight in concept.terms.items():
                by_term.setdefault(term, []).append((number, weight * concept.ideal))
        totals = {term: sum(value for _, value in found) for term, found in by_term.items()}
        # A heading holding every concept at its best reading.
        most = sum(max(c.terms.values(), default=0.0) * c.ideal for c in concepts)
        share = most / ideal
        reach = HEADING_SHARE * (share if share < 1.0 else 1.0)
        return cls(tuple(concepts), ideal, by_term, totals, reach)


def rank(index: LangIndex, query: Prepared, limit: int = CANDIDATES) -> list[tuple[int, float]]:
    """(document number, score in 0..1) for the `limit` best matching documents, best first."""
    if limit <= 0:
        return []
    ideal, reach = query.ideal, query.reach
    relevance = _relevance(index, query.concepts, ideal)
    headings = index.headings
    scored: dict[int, float] = {}
    kept: list[float] = []  # the best `limit` scores so far, smallest first (a heap)
    for doc, value in heapq.nlargest(CANDIDATES, relevance.items(), key=_by_value):
        share = value / ideal
        score = RELEVANCE_SHARE * (share if share < 1.0 else 1.0)
        # Candidates come by falling relevance: once one cannot reach the results even with a
        # perfect heading match, none of the rest can, and their headings need no comparing.
        if len(kept) >= limit and score + reach < kept[0] - SLACK:
            break
        matched = _heading_match(headings[doc], query)
        if matched:
            share = matched / ideal
            score += HEADING_SHARE * (share if share < 1.0 else 1.0)
        scored[doc] = score
        if len(kept) < limit:
            heapq.heappush(kept, score)
        else:
            heapq.heappushpop(kept, score)
    ids = index.ids
    ordered = sorted(scored.items(), key=lambda item: (-item[1], ids[item[0]]))
    return ordered[:limit]


def _relevance(index: LangIndex, concepts: Sequence[Concept], ideal: float) -> dict[int, float]:
    """Document number -> BM25F summed over the concepts (each at its best alternative)."""
    raw: dict[int, float] = {}
    get = raw.get
    floor = NEGLIGIBLE * ideal
    best = index.bm25.best
    for concept in concepts:
        for doc, value in best(concept.terms, concept.ideal, floor).items():
            raw[doc] = get(doc, 0.0) + value
    return raw


def _heading_match(headings: dict[str, tuple[int, ...]], query: Prepared) -> float:
    """The most of the query that one heading holds: each concept counted once, at its best."""
    shared = query.by_term.keys() & headings.keys()
    if not shared:
        return 0.0
    if len(shared) == 1:
        # The usual case: every heading holding the term holds the same concepts.
        return query.totals[next(iter(shared))]
    per_heading: dict[int, dict[int, float]] = {}  # heading number -> concept number -> worth
    by_term = query.by_term
    for term in shared:
        numbers = headings[term]
        for concept, value in by_term[term]:
            for heading in numbers:
                values = per_heading.get(heading)
                if values is None:
                    per_heading[heading] = {concept: value}
                elif value > values.get(concept, 0.0):
                    values[concept] = value
    best = 0.0
    for values in per_heading.values():
        total = sum(values.values())
        if total > best:
            best = total
    return best
