"""Values of the knowledge base: articles and catalogue entries, plain frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Article:
    """One article in one language."""

    id: str
    lang: str
    title: str
    summary: str
    body: str
    audience: tuple[str, ...]
    section: str
    tags: tuple[str, ...]
    alt_questions: tuple[str, ...]
    related: tuple[str, ...]
    risk_factors: tuple[str, ...]
    measures: tuple[str, ...]
    sources: tuple[str, ...]
    path: Path

    @property
    def words(self) -> int:
        return word_count(self.body)


@dataclass(frozen=True, slots=True)
class RiskFactor:
    code: str
    group: str
    label: dict[str, str]
    hint: dict[str, str]


@dataclass(frozen=True, slots=True)
class RiskGroup:
    code: str
    label: dict[str, str]
    factors: tuple[RiskFactor, ...]


@dataclass(frozen=True, slots=True)
class Measure:
    code: str
    kind: str
    label: dict[str, str]
    role: str
    responsible: dict[str, str]
    frequency: dict[str, str]
    answers: tuple[str, ...]
    article: str | None


@dataclass(frozen=True, slots=True)
class GoalTemplate:
    """A measurable goal with `{baseline}`, `{target}` and `{date}` placeholders, per language."""

    factor: str
    text: dict[str, str]
    unit: dict[str, str]


def word_count(text: str) -> int:
    """Count words as a reader would: Markdown markers such as `#`, `-` and `**` are not words."""
    return sum(1 for token in text.split() if any(ch.isalnum() for ch in token))
