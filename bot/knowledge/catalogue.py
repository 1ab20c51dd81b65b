"""The catalogue: risk groups and factors, support measures, goal templates, search synonyms."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.knowledge.model import GoalTemplate, Measure, RiskFactor, RiskGroup


@dataclass(frozen=True, slots=True)
class Catalogue:
    groups: tuple[RiskGroup, ...]
    measures: tuple[Measure, ...]
    templates: tuple[GoalTemplate, ...]
    synonyms: dict[str, tuple[tuple[str, ...], ...]]
    _factors: dict[str, RiskFactor] = field(init=False, repr=False, compare=False)
    _measures: dict[str, Measure] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        factors = {f.code: f for g in self.groups for f in g.factors}
        object.__setattr__(self, "_factors", factors)
        object.__setattr__(self, "_measures", {m.code: m for m in self.measures})

    @property
    def factors(self) -> tuple[RiskFactor, ...]:
        return tuple(self._factors.values())

    def group(self, code: str) -> RiskGroup | None:
        return next((g for g in self.groups if g.code == code), None)

    def factor(self, code: str) -> RiskFactor | None:
        return self._factors.get(code)

    def measure(self, code: str) -> Measure | None:
        return self._measures.get(code)

    def measures_for(self, factor_codes: Iterable[str]) -> list[Measure]:
        """Measures answering any of the factors, those answering the most first."""
        wanted = set(factor_codes)
        scored = [(len(wanted.intersection(m.answers)), i, m) for i, m in enumerate(self.measures)]
        return [m for hits, _, m in sorted(scored, key=lambda t: (-t[0], t[1])) if hits]

    def goal_templates(self, factor: str) -> list[GoalTemplate]:
        return [t for t in self.templates if t.factor == factor]

    def synonym_groups(self, lang: str) -> tuple[tuple[str, ...], ...]:
        return self.synonyms.get(lang, ())
