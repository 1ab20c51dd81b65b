"""Assembles the engine from the content folders and the code's named pieces."""

from __future__ import annotations

from pathlib import Path

from bot.app import actions, words
from bot.core.engine import Engine
from bot.core.flows_loader import load_flows
from bot.core.registry import Registry
from bot.paths import content_dir


def build_registry() -> Registry:
    registry = Registry(
        months=words.months(),
        yes_words=words.answer_words("input.yes_words"),
        no_words=words.answer_words("input.no_words"),
    )
    actions.register_basics(registry)
    return registry


def build_engine(dialogs: Path | None = None) -> Engine:
    return Engine(load_flows(dialogs or content_dir("dialogs")), build_registry())
