"""Language data the core needs for reading answers: month names, day words and yes/no words."""

from __future__ import annotations

from babel import Locale

from bot.core.dates import fold, month_prefixes
from bot.i18n import LANGUAGES, translator


def months() -> dict[str, int]:
    """Month names of both languages in every form Babel knows (janvāris, janv., января, январь)."""
    names: list[tuple[int, str]] = []
    for lang in LANGUAGES:
        locale = Locale.parse(lang)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                names += list(locale.months[context][width].items())
    return month_prefixes(names)


def answer_words(key: str) -> dict[str, frozenset[str]]:
    """Typed words that mean yes (or no), per language, folded like the input will be."""
    return {
        lang: frozenset(fold(w.strip()) for w in translator(lang).text(key).split(",") if w.strip())
        for lang in LANGUAGES
    }


def relative_days() -> dict[str, int]:
    """Words for days near today in both languages, folded: "vakar" -1, "завтра" +1."""
    found: dict[str, int] = {}
    for lang in LANGUAGES:
        for pair in translator(lang).text("input.relative_days").split(","):
            word, _, offset = pair.partition("=")
            if word.strip() and offset.strip().lstrip("-").isdigit():
                found[fold(word.strip())] = int(offset)
    return found
