"""Catalogue cross-references: measures answer factors, factors have measures and goals."""

from __future__ import annotations

import pytest

from bot.knowledge import KnowledgeBase
from bot.knowledge.codes import FIXED_FACTORS, FIXED_MEASURES, LANGS


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


def test_fixed_codes_exist(kb: KnowledgeBase) -> None:
    cat = kb.catalogue
    for group, factors in FIXED_FACTORS.items():
        assert cat.group(group) is not None
        for code in factors:
            factor = cat.factor(code)
            assert factor is not None and factor.group == group
    for kind, measures in FIXED_MEASURES.items():
        for code in measures:
            measure = cat.measure(code)
            assert measure is not None and measure.kind == kind


def test_every_measure_answers_an_existing_factor(kb: KnowledgeBase) -> None:
    cat = kb.catalogue
    for measure in cat.measures:
        assert measure.answers, measure.code
        for code in measure.answers:
            assert cat.factor(code) is not None, (measure.code, code)


def test_every_factor_has_a_measure_and_a_goal_template(kb: KnowledgeBase) -> None:
    cat = kb.catalogue
    for factor in cat.factors:
        assert cat.measures_for([factor.code]), factor.code
        assert cat.goal_templates(factor.code), factor.code


def test_labels_in_both_languages(kb: KnowledgeBase) -> None:
    cat = kb.catalogue
    for factor in cat.factors:
        assert all(factor.label.get(lang) and factor.hint.get(lang) for lang in LANGS)
    for measure in cat.measures:
        assert all(measure.label.get(lang) for lang in LANGS)


def test_measure_articles_resolve(kb: KnowledgeBase) -> None:
    for measure in kb.catalogue.measures:
        if measure.article:
            assert kb.article(measure.article, "lv") is not None, measure.code
