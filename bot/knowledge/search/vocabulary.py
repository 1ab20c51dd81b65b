"""The words an index knows, and how to find the one meant when a query word is not among them."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.knowledge.search.translit import skeleton

FUZZY_MIN_LEN = 4
FUZZY_ONE_EDIT_MAX_LEN = 7  # longer words may have two typos
FUZZY_LIMIT = 2
PREFIX_MIN_LEN = 6
PREFIX_SLACK = 3
PREFIX_LIMIT = 8


@dataclass(frozen=True, slots=True)
class Vocabulary:
    terms: frozenset[str]
    ordered: tuple[str, ...]
    by_start: dict[tuple[str, int], tuple[str, ...]]  # (first letter, length) -> terms
    by_skeleton: dict[str, tuple[str, ...]]

    @classmethod
    def build(cls, terms: Iterable[str]) -> Vocabulary:
        known = frozenset(terms)
        buckets: dict[tuple[str, int], list[str]] = {}
        skeletons: dict[str, list[str]] = {}
        words = sorted(t for t in known if " " not in t)  # word pairs are not spelled alike
        for term in words:
            buckets.setdefault((term[0], len(term)), []).append(term)
            skeletons.setdefault(skeleton(term), []).append(term)
        return cls(
            terms=known,
            ordered=tuple(words),
            by_start={k: tuple(v) for k, v in buckets.items()},
            by_skeleton={k: tuple(v) for k, v in skeletons.items()},
        )

    def __contains__(self, term: object) -> bool:
        return term in self.terms

    def same_skeleton(self, term: str) -> tuple[str, ...]:
        """Known terms spelled alike but for ш/щ, и/ы/й, е/э and the soft and hard signs."""
        return self.by_skeleton.get(skeleton(term), ())

    def sharing_prefix(self, term: str) -> list[str]:
        """Known terms sharing all but the last few letters with `term` (other derived forms).

        Stemmers strip endings, not derivation: согласовыва(ть) and согласова(ть),
        saskaņo(šana) and saskaņo(t) keep different stems but a long common beginning.
        """
        if len(term) < PREFIX_MIN_LEN:
            return []
        prefix = term[: max(PREFIX_MIN_LEN, len(term) - PREFIX_SLACK)]
        start = bisect.bisect_left(self.ordered, prefix)
        found = []
        for known in self.ordered[start : start + PREFIX_LIMIT]:
            if not known.startswith(prefix):
                break
            if known != term and len(known) >= PREFIX_MIN_LEN:
                found.append(known)
        return found

    def fuzzy(self, term: str) -> list[tuple[str, float]]:
        """Known terms within a typo of `term` (two for long words), with a similarity in 0..1.

        Typos are counted as optimal string alignment edits: a wrong, missing or extra letter,
        or two neighbours swapped, is one edit ("psiholgs" for "psihologs", "буллинк"). The
        first letter is taken as typed (people rarely miss it), which keeps the comparison to a
        small part of a large vocabulary.
        """
        if len(term) < FUZZY_MIN_LEN:
            return []
        edits = 1 if len(term) <= FUZZY_ONE_EDIT_MAX_LEN else 2
        lengths = range(len(term) - edits, len(term) + edits + 1)
        choices = [t for n in lengths for t in self.by_start.get((term[0], n), ())]
        found = process.extract(
            term, choices, scorer=OSA.distance, score_cutoff=edits, limit=FUZZY_LIMIT
        )
        return [
            (match, 1.0 - distance / max(len(term), len(match))) for match, distance, _ in found
        ]
