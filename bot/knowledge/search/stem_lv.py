"""A light suffix-stripping stemmer for Latvian, working on diacritic-folded words.

Why our own: Snowball (PyStemmer, snowballstemmer) has no Latvian algorithm, and the only Latvian
stemmer on PyPI (`latvianstemmer`) has had no release since 2020. Dictionary lemmatisers such as
simplemma need the correct diacritics to find a word, but people type Latvian without them, so a
rule stemmer on folded text (the same folding on both the index and the query) conflates more.

The method follows the light stemmers for Baltic languages (Kreslins 1996; Savoy's light
stemmers): strip one inflectional ending of nouns, adjectives and verbs, longest first, keeping
at least three letters; then tidy the stem so that forms of one paradigm meet:
- `-ij` (situācij-a, -as, -u) and `j` after a vowel (skolotāj-s, kavēj-a) are dropped;
- `j` inserted after a labial in the genitive plural (pazīm-ju, zivju) is dropped;
- a final vowel left over from a verb stem (kavē-t, mācī-ties) is dropped.
Nouns made from verbs with `-šana` and `-ums` (kavēšana, kavējums) meet the verb (kavēt).
Over-stemming is cheap for retrieval on a small corpus; under-stemming loses matches.
"""

from __future__ import annotations

import functools

# Folded endings (ā→a, ē→e, ī→i, ū→u, š→s), one group a line; matched longest first.
_GROUPS = (
    # reflexive verb forms: mācīties, mācāmies, mācāties, mācoties, mācīsies
    "ties amies aties oties sies simies sieties damies ies",
    # nouns in -šana and -ums (kavēšana, kavējums) are read as the verb they come from (kavēt)
    "sana sanas sanai sanu sanam sanos ums umi umu umiem uma umam umus umos",
    # definite adjectives and participles
    "ajiem ajam ajai ajos ais ajas oss osais osa osas osi oso osiem dams dama damas dami",
    # noun and adjective cases
    "iem am em im um ai ei us as es os is ie",
    # verb persons, the future and infinitives
    "sim siet iet su si ot at et it t",
    # one-letter endings
    "a e i o u s",
)
_ENDINGS: tuple[str, ...] = tuple(
    sorted({e for group in _GROUPS for e in group.split()}, key=lambda e: (-len(e), e))
)
_VOWELS = frozenset("aeiou")
_LABIALS = frozenset("bpmvf")
MIN_STEM = 3


@functools.lru_cache(maxsize=65536)
def stem_lv(word: str) -> str:
    """Stem one folded Latvian word (lower case, no diacritics)."""
    if len(word) <= MIN_STEM or not word.isalpha():
        return word
    stem = word
    for ending in _ENDINGS:
        if stem.endswith(ending) and _keeps_stem(stem[: -len(ending)]):
            stem = stem[: -len(ending)]
            break
    if stem.endswith("ij") and len(stem) > MIN_STEM + 1:
        stem = stem[:-2]
    elif len(stem) > MIN_STEM and stem[-1] == "j" and (stem[-2] in _VOWELS or stem[-2] in _LABIALS):
        stem = stem[:-1]
    if len(stem) > MIN_STEM and stem[-1] in _VOWELS:
        stem = stem[:-1]
    return stem


def _keeps_stem(stem: str) -> bool:
    return len(stem) >= MIN_STEM and any(ch in _VOWELS for ch in stem)
