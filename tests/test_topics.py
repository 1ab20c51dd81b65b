"""Browsing topics: the list of sections is made once and stays the knowledge base's own."""

from __future__ import annotations

from bot.app.topics import Topics
from bot.core.callbacks import encode_global
from bot.core.replies import say
from bot.knowledge import KnowledgeBase


def test_sections_list_every_section_and_is_made_once() -> None:
    kb = KnowledgeBase.load()
    topics = Topics(kb)
    first = topics.sections()
    assert topics.sections() is first
    assert [row[0].data for row in first.buttons] == [
        encode_global("t", f"{code}.0") for code in kb.sections()
    ]
    assert [row[0].label for row in first.buttons] == [say(f"section.{c}") for c in kb.sections()]
