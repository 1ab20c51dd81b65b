"""The named actions, conditions and option providers that the first dialogs use."""

from __future__ import annotations

from typing import Any

from bot.core.context import Ctx
from bot.core.registry import ActionResult, Registry
from bot.core.replies import say
from bot.i18n import LANGUAGES


def set_language(ctx: Ctx, data: dict[str, Any]) -> ActionResult:
    language = data.get("language")
    if language not in LANGUAGES:
        return ActionResult(error=say("error.unknown_button"))
    ctx.services.set_language(language)
    ctx.language = str(language)
    return ActionResult(note=say("language.changed"))


def store_school_question(ctx: Ctx, data: dict[str, Any]) -> ActionResult:
    question = data.get("question")
    if not question:  # "Back" from a cleared question leads here: ask for it again
        return ActionResult(goto="question")
    school_id = min(ctx.person.school_ids) if ctx.person.school_ids else None
    ctx.services.store_school_question(school_id, str(data.get("school_name", "")), str(question))
    return ActionResult()


def has_school(ctx: Ctx, data: dict[str, Any]) -> bool:
    return bool(ctx.person.school_ids)


def has_question(ctx: Ctx, data: dict[str, Any]) -> bool:
    return bool(data.get("question"))


def clear_question(ctx: Ctx, data: dict[str, Any]) -> ActionResult:
    data.pop("question", None)
    return ActionResult()


def register_basics(registry: Registry) -> None:
    registry.actions.update(
        {
            "set_language": set_language,
            "store_school_question": store_school_question,
            "clear_question": clear_question,
        }
    )
    registry.conditions.update({"has_school": has_school, "has_question": has_question})
    registry.rejected = rejected_button


def rejected_button(ctx: Ctx, value: str) -> None:
    """Button data naming something never offered: refused (by the engine) and audited here."""
    if ctx.services is not None and hasattr(ctx.services, "refuse"):
        ctx.services.audit("access.denied", "button", None, attempted="button", data=value)
