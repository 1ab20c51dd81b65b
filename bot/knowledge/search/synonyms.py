"""Synonym groups of catalogue.yaml: a query naming one member also asks for the others."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.knowledge.search.analyze import terms
from bot.knowledge.search.concept import Concept
from bot.knowledge.search.translit import skeleton

# A synonym counts for less than the word the user typed. A concept scores the best of its
# alternatives (never their sum), so a large group cannot outweigh the rest of the query.
EXPANSION_WEIGHT = 0.5
# A word the articles never use but the catalogue lists as a synonym stands for its group.
STAND_IN_WEIGHT = 0.8


@dataclass(frozen=True, slots=True)
class SynonymGroups:
    groups: tuple[tuple[tuple[str, ...], ...], ...]  # group -> member phrases -> terms
    known: frozenset[str]  # terms of the index vocabulary
    by_term: dict[str, tuple[int, ...]]  # term -> groups with a member using it
    by_skeleton: dict[str, tuple[int, ...]]  # skeleton of a one-word member -> groups
    # group -> its terms the index knows, ready to join a query (worked out once, not per query)
    offered: tuple[frozenset[str], ...]

    @classmethod
    def build(cls, groups: Iterable[Iterable[str]], known: frozenset[str]) -> SynonymGroups:
        """Analyse the groups (members as index terms); groups the index never uses are dropped."""
        built = []
        for group in groups:
            phrases = tuple(
                phrase for phrase in (tuple(terms(member)) for member in group) if phrase
            )
            if len(phrases) > 1 and any(t in known for p in phrases for t in p):
                built.append(phrases)
        by_term: dict[str, list[int]] = {}
        for number, phrases in enumerate(built):
            for term in {t for p in phrases for t in p}:
                by_term.setdefault(term, []).append(number)
        singles: dict[str, list[int]] = {}
        for number, phrases in enumerate(built):
            for key in {skeleton(p[0]) for p in phrases if len(p) == 1}:
                singles.setdefault(key, []).append(number)
        return cls(
            groups=tuple(built),
            known=known,
            by_term={t: tuple(n) for t, n in by_term.items()},
            by_skeleton={k: tuple(n) for k, n in singles.items()},
            offered=tuple(frozenset(t for p in g for t in p if t in known) for g in built),
        )

    def stand_in(self, term: str) -> dict[str, float]:
        """For a term unknown to the articles: the known terms of groups that list it.

        Russian terms are compared by skeleton, as transliteration blurs ш/щ and ы/и (obshaga).
        """
        found: dict[str, float] = {}
        key = skeleton(term)
        for number in self.by_skeleton.get(key, ()):
            phrases = self.groups[number]
            if any(len(p) == 1 and skeleton(p[0]) == key for p in phrases):
                found.update((t, STAND_IN_WEIGHT) for p in phrases for t in p if t in self.known)
        return found

    def expand(self, concepts: Sequence[Concept]) -> list[Concept]:
        """The concepts with the other members of every synonym group the query names added.

        A synonym is another way to satisfy the word that named its group, so it joins that
        word's concept with a lower weight, and the concept's worth stays what it was.
        """
        present = {t for c in concepts for t in c.terms}
        named = sorted({n for t in present for n in self.by_term.get(t, ())})
        if not named:
            return list(concepts)
        extra: list[dict[str, float]] = [{} for _ in concepts]
        for number in named:
            trigger = next((p for p in self.groups[number] if present.issuperset(p)), None)
            if trigger is None:
                continue
            new = dict.fromkeys(self.offered[number] - present, EXPANSION_WEIGHT)
            for concept, more in zip(concepts, extra, strict=True):
                if not concept.terms.keys().isdisjoint(trigger):
                    more.update(new)
        return [
            Concept(terms={**more, **c.terms}, ideal=c.ideal) if more else c
            for c, more in zip(concepts, extra, strict=True)
        ]
