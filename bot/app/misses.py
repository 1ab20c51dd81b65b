"""Questions the knowledge base missed, grouped by similarity, for whoever edits the articles."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from bot.core.dates import fold
from bot.storage.repos.question_log import Missed

SIMILAR = 70  # token-set similarity (0..100) for two questions to count as one topic


@dataclass
class MissGroup:
    example: str
    language: str
    questions: list[str] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)

    @property
    def count(self) -> int:
        return len(self.questions)


def group_misses(missed: list[Missed]) -> list[MissGroup]:
    """Greedy clustering: each question joins the first group it resembles, biggest first."""
    groups: list[tuple[str, MissGroup]] = []
    for item in missed:
        key = fold(item.text)
        for folded, group in groups:
            if group.language == item.language and fuzz.token_set_ratio(key, folded) >= SIMILAR:
                break
        else:
            group = MissGroup(item.text, item.language)
            groups.append((key, group))
        group.questions.append(item.text)
        group.reasons[item.reason] += 1
    return sorted((g for _, g in groups), key=lambda g: (-g.count, g.example))
