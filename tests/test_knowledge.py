"""The knowledge base loads into values with working lookups, quickly and once per root."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge import Article, KnowledgeBase
from bot.knowledge.codes import FIXED_IDS, LANGS, SECTIONS


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


def test_every_fixed_article_loads_in_both_languages(kb: KnowledgeBase) -> None:
    assert len(FIXED_IDS) == 38
    assert set(FIXED_IDS) <= set(kb.ids())
    for id in FIXED_IDS:
        for lang in LANGS:
            article = kb.article(id, lang)
            assert isinstance(article, Article)
            assert (article.id, article.lang) == (id, lang)
            assert article.title and article.summary and article.body
            assert isinstance(article.audience, tuple)
            assert article.path.name == f"{id}.md"


def test_unknown_article_is_none(kb: KnowledgeBase) -> None:
    assert kb.article("no-such-article", "lv") is None
    assert kb.article("bullying", "en") is None


def test_sections_in_order_and_browsable(kb: KnowledgeBase) -> None:
    assert kb.sections() == ("programme", "plan", "risks", "measures", "parents", "coordinators")
    for lang in LANGS:
        listed = [a.id for s in SECTIONS for a in kb.by_section(s, lang)]
        assert sorted(listed) == sorted(kb.ids())
    assert "bullying" in [a.id for a in kb.by_section("risks", "ru")]


def test_load_is_cached_per_root(kb: KnowledgeBase) -> None:
    assert KnowledgeBase.load() is kb
    assert KnowledgeBase.load(kb.root) is kb


def test_broken_content_does_not_load(tmp_path: Path) -> None:
    import shutil

    from bot.knowledge import KnowledgeError

    root = tmp_path / "knowledge"
    shutil.copytree(KnowledgeBase.load().root, root)
    path = root / "articles" / "lv" / "roles.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("section: programme", "section: ["), "utf-8"
    )
    with pytest.raises(KnowledgeError) as caught:
        KnowledgeBase.load(root)
    assert caught.value.path == path.resolve() and caught.value.line > 1


def test_built_from_values(kb: KnowledgeBase) -> None:
    small = KnowledgeBase.of(kb.articles("lv")[:2], kb.catalogue)
    assert len(small.ids()) == 2 and small.articles("ru") == []


def test_catalogue_lookups(kb: KnowledgeBase) -> None:
    cat = kb.catalogue
    factor = cat.factor("unjustified-absences")
    assert factor is not None and factor.group == "learning"
    assert set(factor.label) == {"lv", "ru"}
    measure = cat.measure("psychologist")
    assert measure is not None and measure.kind == "consultation"
    assert cat.factor("nope") is None and cat.measure("nope") is None
    assert [g.code for g in cat.groups] == ["learning", "economic", "family", "social-health"]
    assert cat.synonym_groups("lv") and cat.synonym_groups("ru")


def test_measures_for_ranks_by_factors_answered(kb: KnowledgeBase) -> None:
    cat = kb.catalogue
    ranked = cat.measures_for(["transport-costs", "low-income"])
    assert ranked
    counts = [len({"transport-costs", "low-income"} & set(m.answers)) for m in ranked]
    assert counts == sorted(counts, reverse=True)
    assert counts[0] == 2 and min(counts) >= 1
    assert cat.measures_for([]) == []


def test_goal_templates_have_placeholders(kb: KnowledgeBase) -> None:
    templates = kb.catalogue.goal_templates("unjustified-absences")
    assert templates
    for template in templates:
        for lang in LANGS:
            for placeholder in ("{baseline}", "{target}", "{date}"):
                assert placeholder in template.text[lang]
