"""School semesters: a plan lasts one. Defaults follow the Cabinet's school-year dates; a school can
override them in its settings (a list of {code, start, end})."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Semester:
    code: str  # "2026/27-1"
    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def middle(self) -> dt.date:
        return self.start + (self.end - self.start) / 2


DEFAULT_SEMESTERS = (
    Semester("2025/26-1", dt.date(2025, 9, 1), dt.date(2025, 12, 19)),
    Semester("2025/26-2", dt.date(2026, 1, 5), dt.date(2026, 5, 29)),
    Semester("2026/27-1", dt.date(2026, 9, 1), dt.date(2026, 12, 18)),
    Semester("2026/27-2", dt.date(2027, 1, 4), dt.date(2027, 5, 31)),
)


def from_settings(raw: Iterable[Mapping[str, str]] | None) -> tuple[Semester, ...]:
    if not raw:
        return DEFAULT_SEMESTERS
    out = [
        Semester(str(s["code"]), dt.date.fromisoformat(s["start"]), dt.date.fromisoformat(s["end"]))
        for s in raw
    ]
    return tuple(sorted(out, key=lambda s: s.start))


def current_and_next(semesters: tuple[Semester, ...], today: dt.date) -> list[Semester]:
    """The semester under way (or the next to start) first, then the one after it."""
    upcoming = [s for s in semesters if s.end >= today]
    return upcoming[:2]


def by_code(semesters: tuple[Semester, ...], code: str) -> Semester | None:
    return next((s for s in semesters if s.code == code), None)
