"""BM25F: one score over several weighted fields of each article.

For a term, each field's count is normalised by the field's length (b) and weighted; the sum is
saturated once (k1), as in Robertson & Zaragoza, "The Probabilistic Relevance Framework" (2009).
That saturated value does not depend on the query, so it is stored per term and document as an
"impact" in [0, 1); a query then only adds up `weight * idf * impact`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

K1 = 1.6


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    weight: float
    b: float  # 0: length does not matter, 1: fully normalised by length


@dataclass(frozen=True, slots=True)
class Bm25F:
    size: int
    idf: dict[str, float]
    impacts: dict[str, dict[int, float]]  # term -> document number -> impact in [0, 1)

    @classmethod
    def build(cls, fields: Sequence[Field], docs: Sequence[Mapping[str, Sequence[str]]]) -> Bm25F:
        """Index documents given as field name -> terms."""
        avg = {
            f.name: max(1.0, sum(len(d.get(f.name, ())) for d in docs) / max(1, len(docs)))
            for f in fields
        }
        pseudo: dict[str, dict[int, float]] = {}
        for number, doc in enumerate(docs):
            for f in fields:
                found = doc.get(f.name, ())
                if not found:
                    continue
                norm = 1.0 - f.b + f.b * len(found) / avg[f.name]
                for term, count in Counter(found).items():
                    per_doc = pseudo.setdefault(term, {})
                    per_doc[number] = per_doc.get(number, 0.0) + f.weight * count / norm
        n = len(docs)
        idf = {t: math.log(1.0 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in pseudo.items()}
        impacts = {t: {d: tf / (K1 + tf) for d, tf in p.items()} for t, p in pseudo.items()}
        return cls(size=n, idf=idf, impacts=impacts)

    def rare_idf(self) -> float:
        """The idf of a term found in one document: what an unknown query word is worth."""
        return math.log(1.0 + (self.size - 0.5) / 1.5)

    def best(
        self, weighted: Mapping[str, float], ceiling: float, floor: float = 0.0
    ) -> dict[int, float]:
        """Per document, the best `weight * idf * impact` among alternative terms of one word.

        An alternative (a synonym, another derived form, a typo's correction) is worth no more
        than the word itself: its idf is capped at `ceiling`, the idf of the word. Terms that
        could not add more than `floor` are skipped.
        """
        found: dict[int, float] = {}
        impacts, idf = self.impacts, self.idf
        for term, weight in weighted.items():
            per_doc = impacts.get(term)
            if not per_doc:
                continue
            factor = weight * min(idf[term], ceiling)
            if factor <= floor:
                continue
            if not found:
                # The first useful term: impacts are positive, so each value is the best yet.
                found = {doc: factor * impact for doc, impact in per_doc.items()}
                continue
            get = found.get
            for doc, impact in per_doc.items():
                value = factor * impact
                if value > get(doc, 0.0):
                    found[doc] = value
        return found
