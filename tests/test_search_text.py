"""Normalisation, stemming and transliteration: the pieces that make typed text match articles."""

from __future__ import annotations

import pytest

from bot.knowledge.search.analyze import terms
from bot.knowledge.search.normalize import (
    cyrillic_share,
    fold,
    has_latvian_marks,
    normalize,
    tokens,
)
from bot.knowledge.search.stem_lv import stem_lv
from bot.knowledge.search.stem_ru import stem_ru
from bot.knowledge.search.translit import cyrillic_variants, skeleton, to_cyrillic


def test_fold_latvian_diacritics_case_and_yo() -> None:
    assert fold("ĀČĒĢĪĶĻŅŠŪŽ āčēģīķļņšūž") == "acegiklnsuz acegiklnsuz"
    assert fold("Ёлка ЁЖ") == "елка еж"
    assert fold("Café") == "cafe"
    assert fold("Йод") == "йод"  # й is a letter of its own, not и with a mark


def test_tokens_strip_punctuation_and_collapse_whitespace() -> None:
    assert tokens("  Bērns\tnegrib…   iet, uz „skolu”!!! ") == [
        "berns",
        "negrib",
        "iet",
        "uz",
        "skolu",
    ]
    assert normalize("Ko darīt?\n\nJa — bērns 🙂 slimo") == "ko darit ja berns slimo"
    assert tokens("🙂🙂 ... --- ***") == []
    assert tokens("e-klase, 20 stundas") == ["e", "klase", "20", "stundas"]


def test_script_detection_helpers() -> None:
    assert has_latvian_marks("kavējumi") and not has_latvian_marks("kavejumi")
    assert cyrillic_share("пропуски") == 1.0
    assert cyrillic_share("propuski") == 0.0
    assert cyrillic_share("🙂 123") == 0.0
    assert 0 < cyrillic_share("IAP и ИПП") < 1


@pytest.mark.parametrize(
    "forms",
    [
        ["skola", "skolas", "skolā", "skolu", "skolām", "skolās"],
        ["skolēns", "skolēni", "skolēnam", "skolēniem", "skolēnu"],
        ["skolotājs", "skolotāja", "skolotājam", "skolotāji", "skolotājiem"],
        ["psihologs", "psihologa", "psihologam", "psiholoģe", "psihologu"],
        ["kavēt", "kavē", "kavēja", "kavēšana", "kavējums", "kavējumi"],
        ["mācīties", "mācās", "mācos", "mācījās", "mācīt"],
        ["situācija", "situācijas", "situāciju", "situācijā"],
        ["pazīme", "pazīmes", "pazīmju", "pazīmēm"],
        ["plāns", "plāna", "plānu", "plānā", "plāni"],
    ],
)
def test_latvian_stemmer_meets_word_forms(forms: list[str]) -> None:
    stems = {stem_lv(fold(f)) for f in forms}
    assert len(stems) == 1, stems


def test_latvian_stemmer_keeps_short_and_distinct_words() -> None:
    assert stem_lv("iet") == "iet"
    assert stem_lv("nav") == "nav"
    assert stem_lv(fold("bērns")) != stem_lv(fold("bulings"))
    # the same stem with or without diacritics: people type both
    assert stem_lv(fold("mērķi")) == stem_lv("merki")


@pytest.mark.parametrize(
    "forms",
    [
        ["психолог", "психолога", "психологу", "психологом"],
        ["пропуски", "пропуск", "пропусков", "пропускам"],
        ["ребёнок", "ребенок"],
        ["буллинг", "буллинга", "буллингом"],
    ],
)
def test_russian_stemmer_meets_word_forms(forms: list[str]) -> None:
    assert len({stem_ru(fold(f)) for f in forms}) == 1


def test_terms_drop_function_words() -> None:
    assert terms("Kas ir IAP un kam tas vajadzīgs?") == ["iap"]
    assert terms("Что такое ИПП и зачем он нужен?") == [stem_ru("ипп"), stem_ru("зачем")]


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("rebenok", "ребенок"),
        ("hochet", "хочет"),
        ("uchitsya", "учится"),
        ("propuski", "пропуски"),
        ("bulling", "буллинг"),
        ("psiholog", "психолог"),
        ("shkola", "школа"),
        ("zhurnal", "журнал"),
        ("obshchezhitie", "общежитие"),
        ("moy", "мой"),
    ],
)
def test_translit_to_cyrillic(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic


def test_translit_variants_restore_dropped_soft_sign() -> None:
    assert "делать" in cyrillic_variants("delat")
    assert "учиться" in cyrillic_variants("uchitsya")
    assert "учиться" in cyrillic_variants("uchitsa")


def test_skeleton_ignores_what_latin_spelling_blurs() -> None:
    assert skeleton("социальный") == skeleton(to_cyrillic("sotsialnyj"))
    assert skeleton("уважительн") == skeleton(stem_ru(to_cyrillic("uvazhitelnoj")))
    assert skeleton("щи") == skeleton("ши")
