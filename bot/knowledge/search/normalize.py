"""Text normalisation shared by the index and the queries, so both sides fold the same way."""

from __future__ import annotations

import functools
import re
import unicodedata

# Latvian letters fold to their base letters because people often type without diacritics
# (and phones autocorrect inconsistently); ё is written as е in most Russian texts.
_FOLD_MAP = {
    "ā": "a",
    "č": "c",
    "ē": "e",
    "ģ": "g",
    "ī": "i",
    "ķ": "k",
    "ļ": "l",
    "ņ": "n",
    "š": "s",
    "ū": "u",
    "ž": "z",
    "ō": "o",
    "ŗ": "r",
    "ё": "е",
}
_FOLD = re.compile("[" + "".join(_FOLD_MAP) + "]")
_LATVIAN_MARKS = frozenset("āčēģīķļņšūž")
_OTHER = re.compile(r"[^\x00-\x7f\u0400-\u04ff]")  # neither ASCII nor Cyrillic
# A token is a run of letters or digits; everything else (punctuation, emoji, symbols) separates.
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LATIN = re.compile(r"[a-zāčēģīķļņšūž]", re.IGNORECASE)


def fold(text: str) -> str:
    """Lower-case, fold Latvian diacritics and ё, drop accents from other Latin letters."""
    text = unicodedata.normalize("NFC", text).casefold()
    if text.isascii():
        return text
    # Substitution by regular expression: str.translate is slow on non-ASCII text.
    text = _FOLD.sub(_fold_match, text)
    return _OTHER.sub(_plain_match, text)


def _fold_match(match: re.Match[str]) -> str:
    return _FOLD_MAP[match.group()]


def _plain_match(match: re.Match[str]) -> str:
    return _plain(match.group())


@functools.cache
def _plain(ch: str) -> str:
    # é → e, ü → u; Cyrillic (й keeps its breve) and everything else stays as it is.
    if ch.isascii() or "\u0400" <= ch <= "\u04ff":
        return ch
    base = unicodedata.normalize("NFD", ch)[0]
    return base if base.isascii() else ch


def tokens(text: str) -> list[str]:
    """Folded word tokens: punctuation stripped, whitespace collapsed."""
    return _TOKEN.findall(fold(text))


def normalize(text: str) -> str:
    """The folded text as single-space separated tokens."""
    return " ".join(tokens(text))


def has_latvian_marks(text: str) -> bool:
    return any(ch in _LATVIAN_MARKS for ch in text.casefold())


def cyrillic_share(text: str) -> float:
    """Share of letters that are Cyrillic (0 when there are no letters)."""
    cyr = len(_CYRILLIC.findall(text))
    lat = len(_LATIN.findall(text))
    return cyr / (cyr + lat) if cyr + lat else 0.0


def is_cyrillic(token: str) -> bool:
    return bool(_CYRILLIC.search(token))
