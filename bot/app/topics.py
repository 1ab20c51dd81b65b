"""Browsing the knowledge base: /topics → sections → articles, a page at a time."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from bot.core.callbacks import encode_global
from bot.core.context import Ctx
from bot.core.registry import ActionResult, Command, Registry
from bot.core.replies import Button, Raw, Reply, say
from bot.knowledge import KnowledgeBase

PAGE = 6


class Topics:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def register(self, registry: Registry) -> None:
        registry.commands["topics"] = Command("topics", handler=self.command)
        registry.actions["show_topics"] = self.action
        registry.buttons["t"] = self.button

    def command(self, ctx: Ctx, args: str) -> ActionResult:
        return ActionResult(replies=(self.sections(),), goto="stop")

    def action(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        return ActionResult(replies=(self.sections(),))

    def sections(self) -> Reply:
        return self._sections

    @cached_property
    def _sections(self) -> Reply:
        """The list of sections depends on the knowledge base alone: made once, shared."""
        rows = tuple(
            (Button(say(f"section.{code}"), encode_global("t", f"{code}.0")),)
            for code in self.kb.sections()
        )
        return Reply((say("topics.choose"),), rows)

    def button(self, ctx: Ctx, arg: str) -> ActionResult:
        if not arg:
            return ActionResult(replies=(self.sections(),))
        section, _, page_text = arg.partition(".")
        if section not in self.kb.sections() or not page_text.isdigit():
            return ActionResult(error=say("error.unknown_button"))
        articles = self.kb.by_section(section, ctx.language)
        pages = max(1, -(-len(articles) // PAGE))
        page = min(int(page_text), pages - 1)
        shown = articles[page * PAGE : (page + 1) * PAGE]
        rows: list[tuple[Button, ...]] = [
            (Button(Raw(a.title), encode_global("a", a.id)),) for a in shown
        ]
        nav = []
        if page > 0:
            nav.append(Button(say("topics.previous"), encode_global("t", f"{section}.{page - 1}")))
        if page + 1 < pages:
            nav.append(Button(say("topics.next"), encode_global("t", f"{section}.{page + 1}")))
        rows += [tuple(nav)] if nav else []
        rows.append((Button(say("topics.all_sections"), encode_global("t")),))
        title = say("topics.section_page", section=say(f"section.{section}"), n=page + 1, m=pages)
        return ActionResult(replies=(Reply((title,), tuple(rows), edit=True),))
