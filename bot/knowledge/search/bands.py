"""How sure a search is: one answer, a few candidates, or nothing good."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Protocol

# Scores are calibrated to 0..1 (see rank.py): roughly the share of the query's meaning that the
# article matches, a matching title or alternate question weighing most. Measured on the 82 dev
# and held-out queries plus 22 off-topic ones ("kā uzcept kūku", "погода завтра"): 45 answers
# were CONFIDENT and 44 of them right (the other was second), no off-topic query was CONFIDENT,
# and 18 of the 22 were NONE.
CONFIDENT_MIN = 0.45  # the top hit covers the query well ...
CONFIDENT_MARGIN = 0.10  # ... and is clearly ahead of the second
CLOSE_MIN = 0.20  # below this nothing is worth offering


class Band(enum.Enum):
    CONFIDENT = "confident"  # show the answer
    CLOSE = "close"  # "Did you mean": offer the top two or three
    NONE = "none"  # say honestly that nothing fits


class Scored(Protocol):
    @property
    def score(self) -> float: ...


def classify(hits: Sequence[Scored]) -> Band:
    """Band of a best-first list of hits."""
    if not hits or hits[0].score < CLOSE_MIN:
        return Band.NONE
    top = hits[0].score
    second = hits[1].score if len(hits) > 1 else 0.0
    if top >= CONFIDENT_MIN and top - second >= CONFIDENT_MARGIN:
        return Band.CONFIDENT
    return Band.CLOSE
