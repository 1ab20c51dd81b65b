"""Assembles the engine from the content folders and the code's named pieces."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.app import actions, words
from bot.app.answers import Answers
from bot.app.dashboard.view import DashboardView
from bot.app.data_rights import DataRights
from bot.app.identity import BotIdentity
from bot.app.invites import Invites
from bot.app.misses_chat import MissesInChat
from bot.app.plans.deliveries import Deliveries
from bot.app.plans.export import Export
from bot.app.plans.lifecycle import Lifecycle
from bot.app.plans.review import Review
from bot.app.plans.wizard import Wizard
from bot.app.pupils import Pupils
from bot.app.reminder_buttons import ReminderButtons
from bot.app.reminder_settings import ReminderSettings
from bot.app.requests import Requests
from bot.app.staff import Staff
from bot.app.topics import Topics
from bot.core.context import Ctx
from bot.core.engine import Engine
from bot.core.flows_loader import load_flows
from bot.core.registry import ActionResult, Registry
from bot.core.replies import say
from bot.knowledge import KnowledgeBase
from bot.knowledge.search import SearchIndex
from bot.paths import content_dir


def build_registry(
    kb: KnowledgeBase | None = None,
    index: SearchIndex | None = None,
    identity: BotIdentity | None = None,
    invite_ttl_days: int = 7,
) -> Registry:
    """The registry; with the knowledge base, questions and browsing are switched on."""
    registry = Registry(
        months=words.months(),
        relative_days=words.relative_days(),
        yes_words=words.answer_words("input.yes_words"),
        no_words=words.answer_words("input.no_words"),
    )
    actions.register_basics(registry)
    invites = Invites(identity or BotIdentity(), invite_ttl_days)
    invites.register(registry)
    Pupils(invites).register(registry)
    Staff().register(registry)
    DataRights().register(registry)
    Requests().register(registry)
    ReminderButtons().register(registry)
    ReminderSettings().register(registry)
    ready = kb is not None
    registry.conditions["knowledge_ready"] = lambda ctx, data: ready
    if kb is not None:
        Answers(kb, index or SearchIndex.build(kb)).register(registry)
        Topics(kb).register(registry)
        MissesInChat().register(registry)
        Wizard(kb).register(registry)
        Lifecycle(kb).register(registry)
        Deliveries(kb).register(registry)
        Review(kb).register(registry)
        Export(kb).register(registry)
        DashboardView(kb).register(registry)
    else:
        # Dialogs name these; without a knowledge base they are never offered.
        registry.actions.setdefault("answer_question", _unavailable)
        registry.actions.setdefault("set_language_and_answer", actions.set_language)
        registry.actions.setdefault("show_topics", _unavailable)
        registry.actions.setdefault("show_dashboard", _unavailable)
        registry.conditions.setdefault("can_see_dashboard", lambda ctx, data: False)
    return registry


def _unavailable(ctx: Ctx, data: dict[str, Any]) -> ActionResult:
    return ActionResult(error=say("error.unknown_button"))


def build_engine(
    dialogs: Path | None = None,
    kb: KnowledgeBase | None = None,
    index: SearchIndex | None = None,
    identity: BotIdentity | None = None,
    invite_ttl_days: int = 7,
) -> Engine:
    knowledge = kb if kb is not None else KnowledgeBase.load()
    registry = build_registry(knowledge, index, identity, invite_ttl_days)
    return Engine(load_flows(dialogs or content_dir("dialogs")), registry)
