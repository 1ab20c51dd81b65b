"""A measure's default who and how often follow the reader's language; own words stay."""

from __future__ import annotations

from bot.app.plans.view import overview
from bot.channels.render import Renderer
from bot.knowledge import KnowledgeBase
from bot.storage.models import Plan, Pupil


def _shown(content: dict[str, object], lang: str) -> str:
    plan = Plan(id=7, semester="2026/27-1", status="draft", content=content)
    pupil = Pupil(name="Marks", class_name="7.b")
    catalogue = KnowledgeBase.load().catalogue
    renderer = Renderer(lang)
    return "\n".join(renderer.part(p) for p in overview(plan, pupil, catalogue, lang))


def test_catalogue_defaults_are_shown_in_the_readers_language() -> None:
    catalogue = KnowledgeBase.load().catalogue
    measure = catalogue.measure("transport-compensation")
    assert measure is not None
    entry = {"code": measure.code, "responsible": "", "frequency": ""}
    latvian, russian = _shown({"measures": [entry]}, "lv"), _shown({"measures": [entry]}, "ru")
    assert measure.responsible["lv"] in latvian and measure.responsible["ru"] not in latvian
    assert measure.frequency["ru"] in russian and measure.frequency["lv"] not in russian


def test_a_teachers_own_words_are_shown_as_written() -> None:
    entry = {"code": "transport-compensation", "responsible": "Anna", "frequency": "reizi nedēļā"}
    for lang in ("lv", "ru"):
        assert "— Anna; reizi nedēļā" in _shown({"measures": [entry]}, lang)


def test_a_default_stored_in_the_authors_language_is_shown_in_the_readers() -> None:
    # Plans made before defaults were kept empty hold the Russian default text of a Russian author.
    catalogue = KnowledgeBase.load().catalogue
    measure = catalogue.measure("transport-compensation")
    assert measure is not None
    entry = {
        "code": measure.code,
        "responsible": measure.responsible["ru"],
        "frequency": measure.frequency["ru"],
    }
    assert measure.responsible["lv"] in _shown({"measures": [entry]}, "lv")
