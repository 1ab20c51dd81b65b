"""Reads dates as people type them: 15.01.2027, 15.1.27, 2027-01-15, "15. janvāris", "15 января"."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping

_NUMERIC = re.compile(r"^(\d{1,2})[./-](\d{1,2})(?:[./-](\d{2}|\d{4}))?\.?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS = re.compile(r"^(\d{1,2})\.?\s*([^\W\d_]+)\.?(?:\s+(\d{4}|\d{2})\.?(?:\s*g\.?)?)?$")


def fold(text: str) -> str:
    """Lower case without diacritics (ā→a, ё→е), so 'janvari' finds 'janvārī'."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def month_prefixes(names: Iterable[tuple[int, str]]) -> dict[str, int]:
    """Map the first three folded letters of each month name form to its number."""
    return {fold(name)[:3]: month for month, name in names if len(name) >= 3}


def parse_date(
    text: str,
    today: dt.date,
    months: Mapping[str, int],
    relative: Mapping[str, int] | None = None,
) -> dt.date | None:
    """The date meant by `text`, or None. A missing year means the next such date; a word for a
    day near today ("vakar", "вчера") means that day."""
    raw = " ".join(text.strip().split())
    if relative and (offset := relative.get(fold(raw).strip(" .!"))) is not None:
        return today + dt.timedelta(days=offset)
    if m := _ISO.match(raw):
        return _make(int(m[1]), int(m[2]), int(m[3]))
    day: int | None = None
    month: int | None = None
    year_text: str | None = None
    if m := _NUMERIC.match(raw):
        day, month, year_text = int(m[1]), int(m[2]), m[3]
    elif m := _WORDS.match(raw):
        word = fold(m[2])
        if len(word) < 3 or word[:3] not in months:
            return None
        day, month, year_text = int(m[1]), months[word[:3]], m[3]
    if day is None or month is None:
        return None
    if year_text is None:
        candidate = _make(today.year, month, day)
        if candidate is not None and candidate < today - dt.timedelta(days=60):
            candidate = _make(today.year + 1, month, day)
        return candidate
    year = int(year_text)
    return _make(year + 2000 if year < 100 else year, month, day)


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
