"""A concept of a query: one word the user typed and the index terms that may stand for it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Concept:
    terms: dict[str, float]  # index term -> weight (1 for the word itself, less for lookalikes)
    ideal: float  # the score of a document matching this word perfectly (its idf)
