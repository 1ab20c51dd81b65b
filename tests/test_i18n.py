"""Catalogues: plural forms follow CLDR, every key is translated in both languages alike."""

from __future__ import annotations

import datetime as dt
import gettext
import re

import pytest
from babel import Locale

from bot.i18n import LANGUAGES, read_catalog, translator

# gettext index -> CLDR category, per the order documented in each .po header.
FORM_ORDER = {"lv": ["zero", "one", "other"], "ru": ["one", "few", "many"]}
NUMBERS = [0, 1, 2, 5, 11, 21, 22, 25, 111]
PLACEHOLDER = re.compile(r"\{(\w+)\}")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("n", NUMBERS)
def test_plural_index_matches_cldr(lang: str, n: int) -> None:
    # The compiled catalogue's own plural function is what the bot uses at run time.
    runtime_index = gettext.c2py(read_catalog(lang).plural_expr)(n)
    assert FORM_ORDER[lang][runtime_index] == Locale.parse(lang).plural_form(n)
    assert read_catalog(lang).num_plurals == 3


@pytest.mark.parametrize(
    ("lang", "n", "text"),
    [
        ("lv", 0, "0 plānu"),
        ("lv", 1, "1 plāns"),
        ("lv", 2, "2 plāni"),
        ("lv", 11, "11 plānu"),
        ("lv", 21, "21 plāns"),
        ("lv", 111, "111 plānu"),
        ("ru", 1, "1 план"),
        ("ru", 2, "2 плана"),
        ("ru", 5, "5 планов"),
        ("ru", 11, "11 планов"),
        ("ru", 22, "22 плана"),
        ("ru", 25, "25 планов"),
    ],
)
def test_plural_words(lang: str, n: int, text: str) -> None:
    assert translator(lang).plural("count.plans", n) == text


def _messages(lang: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for message in read_catalog(lang):
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        out[key] = [str(s) for s in strings]
    return out


def test_same_keys_in_both_languages() -> None:
    lv, ru = _messages("lv"), _messages("ru")
    assert set(lv) == set(ru), set(lv) ^ set(ru)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_translated_and_not_fuzzy(lang: str) -> None:
    for message in read_catalog(lang):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(s.strip() for s in strings), f"{lang}: {message.id!r} is untranslated"
        assert not message.fuzzy, f"{lang}: {message.id!r} is fuzzy"


def test_same_placeholders_in_both_languages() -> None:
    lv, ru = _messages("lv"), _messages("ru")
    for key in lv:
        for a in lv[key]:
            for b in ru[key]:
                assert set(PLACEHOLDER.findall(a)) == set(PLACEHOLDER.findall(b)), key


def test_dates_in_locale() -> None:
    day = dt.date(2027, 1, 15)
    assert "janvār" in translator("lv").date(day)
    assert "января" in translator("ru").date(day)


def test_riga_time_across_daylight_saving() -> None:
    winter = dt.datetime(2027, 1, 15, 12, 0, tzinfo=dt.UTC)
    summer = dt.datetime(2027, 7, 15, 12, 0, tzinfo=dt.UTC)
    assert translator("lv").time(winter) == "14:00"
    assert translator("lv").time(summer) == "15:00"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_date_at_the_end_of_a_sentence_gets_one_dot(lang: str) -> None:
    from bot.channels.render import Renderer
    from bot.core.replies import say

    shown = Renderer(lang).part(say("error.date_too_early", date=dt.date(2026, 12, 7)))
    assert shown.endswith(("dec.", "г.")) and not shown.endswith("..")
    # A name ending in a dot, at the end of a sentence: its dots inside stay, the double goes.
    school = "Rīgas 5. vidussk."
    shown = translator(lang).text("invite.welcome", {"role": "x", "school": school})
    assert shown.endswith(school) and ".." not in shown


def test_every_command_says_what_it_does_in_both_languages() -> None:
    from bot.app.build import build_registry
    from bot.core.engine import BUILTIN_COMMANDS
    from bot.knowledge import KnowledgeBase

    names = {*BUILTIN_COMMANDS, *build_registry(KnowledgeBase.load()).commands}
    for lang in LANGUAGES:
        missing = [n for n in sorted(names) if not translator(lang).has(f"command.{n}")]
        assert missing == [], (lang, missing)
