"""Russian typed in Latin letters ("rebenok ne hochet uchitsya") read as Cyrillic.

We transliterate the query to Cyrillic rather than index a Latin copy of every article: the
Russian stemmer then works on the transliterated word as on any other, and one index serves both.
Transliteration by ear is ambiguous (y: ы or й; sh: ш or щ; the soft sign is usually left out),
so the search also compares words by a `skeleton` that ignores exactly those differences.
"""

from __future__ import annotations

import functools


def _pairs(table: str) -> tuple[tuple[str, str], ...]:
    """`"a=а b=б"` as (("a", "а"), ("b", "б"))."""
    return tuple(
        (latin, cyrillic) for latin, _, cyrillic in (p.partition("=") for p in table.split())
    )


# The common ways of writing Russian in Latin letters (scholarly, passport and chat styles).
# Several letters first, longest first, applied greedily left to right; then single letters.
_MULTI = _pairs(
    "shch=щ sch=щ tsya=тся tsja=тся zh=ж kh=х ch=ч sh=ш ts=ц"
    " ya=я ja=я yu=ю ju=ю yo=е jo=е ye=е je=е"
)
_SINGLE = dict(
    _pairs(
        "a=а b=б v=в g=г d=д e=е z=з i=и j=й k=к l=л m=м n=н o=о p=п r=р s=с t=т u=у f=ф h=х"
        " c=ц y=ы w=в x=кс q=к"
    )
)
_VOWELS = frozenset("aeiouy")
# ш/щ, и/ы/й, е/э and the signs are what Latin spellings blur.
_SKELETON = str.maketrans({"щ": "ш", "ы": "и", "й": "и", "э": "е", "ё": "е", "ь": None, "ъ": None})


@functools.lru_cache(maxsize=16384)
def to_cyrillic(word: str) -> str:
    """Transliterate one folded Latin word to Cyrillic; other characters are kept."""
    out: list[str] = []
    i = 0
    while i < len(word):
        for latin, cyr in _MULTI:
            if word.startswith(latin, i):
                out.append(cyr)
                i += len(latin)
                break
        else:
            ch = word[i]
            # y after a vowel, at the end or before a consonant, is й (moy, kakoy, poyti).
            if ch == "y" and i and word[i - 1] in _VOWELS:
                out.append("й")
            else:
                out.append(_SINGLE.get(ch, ch))
            i += 1
    return "".join(out)


def cyrillic_variants(word: str) -> tuple[str, ...]:
    """The transliteration, plus the forms with a final soft sign people leave out (delat')."""
    cyr = to_cyrillic(word)
    if cyr.endswith("тся"):
        return (cyr, cyr[:-3] + "ться")
    if cyr.endswith("ца") and len(cyr) > 4:  # uchitsa: -тся typed as -tsa
        return (cyr, cyr[:-2] + "тся", cyr[:-2] + "ться")
    if cyr.endswith(("т", "л", "н")):
        return (cyr, cyr + "ь")
    return (cyr,)


def skeleton(word: str) -> str:
    """A Cyrillic word with the letters Latin spellings confuse merged."""
    return word.translate(_SKELETON)
