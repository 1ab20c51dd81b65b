"""Russian stemming with the Snowball algorithm.

Why PyStemmer: it is the Snowball project's own C implementation for Python, maintained (Snowball
3.x), fast (about a microsecond a word) and dependency-free; the Snowball Russian stemmer is the
standard light stemmer for Russian retrieval. A morphological lemmatiser (pymorphy3) would be more
exact but needs a 10 MB dictionary and is slower, which retrieval over short articles does not need.
"""

from __future__ import annotations

import functools

import Stemmer  # type: ignore[import-not-found, unused-ignore]  # a C extension, no stubs

_STEMMER = Stemmer.Stemmer("russian")


@functools.lru_cache(maxsize=65536)
def stem_ru(word: str) -> str:
    """Stem one folded Russian word (lower case, ё already written as е)."""
    if len(word) <= 3:
        return word
    stem: str = _STEMMER.stemWord(word)
    return stem
