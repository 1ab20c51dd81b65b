"""Which language a query is written in: Cyrillic is Russian, Latin may be Latvian or translit."""

from __future__ import annotations

from bot.knowledge.search.index import LangIndex
from bot.knowledge.search.normalize import cyrillic_share, has_latvian_marks, is_cyrillic
from bot.knowledge.search.stem_lv import stem_lv
from bot.knowledge.search.stem_ru import stem_ru
from bot.knowledge.search.stopwords import STOPWORDS
from bot.knowledge.search.translit import cyrillic_variants


def detect_lang(text: str, words: list[str], lv: LangIndex, ru: LangIndex, fallback: str) -> str:
    """`lv` or `ru` for a query; `fallback` (the user's language) when nothing tells.

    Latin text without Latvian letters is read both ways: each word counts for Latvian when it is
    a Latvian function word or a known Latvian term, and for Russian when its transliteration is.
    """
    share = cyrillic_share(text)
    if share >= 0.5:
        return "ru"
    if share == 0.0 and has_latvian_marks(text):
        return "lv"
    latin = [w for w in words if not is_cyrillic(w) and w.isalpha()]
    if not latin:
        return fallback
    lv_votes = sum(1 for w in latin if w in STOPWORDS["lv"] or stem_lv(w) in lv.vocab)
    ru_votes = sum(1 for w in latin if _russian(w, ru))
    if ru_votes > lv_votes:
        return "ru"
    if lv_votes > ru_votes:
        return "lv"
    return fallback


def _russian(word: str, ru: LangIndex) -> bool:
    for variant in cyrillic_variants(word):
        if variant in STOPWORDS["ru"]:
            return True
        stem = stem_ru(variant)
        if stem in ru.vocab or ru.vocab.same_skeleton(stem) or ru.synonyms.stand_in(stem):
            return True
    return False
