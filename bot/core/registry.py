"""Named pieces of code that dialogs refer to: actions, conditions, option providers, commands."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.core.context import Ctx
from bot.core.replies import Raw, Reply, Text


@dataclass(frozen=True, slots=True)
class ActionResult:
    """What an action decided: go elsewhere, refuse with a reason, or add messages."""

    goto: str | None = None
    error: Text | None = None
    note: Text | None = None  # shown above the next prompt
    carry: dict[str, Any] = field(default_factory=dict)  # answers a started dialog begins with
    replies: tuple[Reply, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DynamicOption:
    id: str
    label: Text | Raw
    goto: str | None = None


Action = Callable[[Ctx, dict[str, Any]], ActionResult | None]
# A condition only reads: the engine asks only those it needs (a press asks the pressed option's).
Condition = Callable[[Ctx, dict[str, Any]], bool]
OptionsProvider = Callable[[Ctx, dict[str, Any]], list[DynamicOption]]
# A command handler gets the context and the text after the command.
CommandHandler = Callable[[Ctx, str], ActionResult]
FreeTextHandler = Callable[[Ctx, str], ActionResult]
# A button that is not tied to a dialog step (an article, a page of topics): it keeps working on
# old messages. It gets the text after `g:<code>:` and must check that the person may use it.
ButtonHandler = Callable[[Ctx, str], ActionResult]


@dataclass(frozen=True, slots=True)
class Command:
    """A chat command: where it leads (`dialog:NAME`) or a handler, and who may use it."""

    name: str
    target: str | None = None
    handler: CommandHandler | None = None
    roles: frozenset[str] | None = None  # None: everyone


@dataclass(slots=True)
class Registry:
    actions: dict[str, Action] = field(default_factory=dict)
    conditions: dict[str, Condition] = field(default_factory=dict)
    providers: dict[str, OptionsProvider] = field(default_factory=dict)
    commands: dict[str, Command] = field(default_factory=dict)
    buttons: dict[str, ButtonHandler] = field(default_factory=dict)
    free_text: FreeTextHandler | None = None
    # `/start <token>` (an invitation); not a command of its own, so never listed in /help.
    redeem: CommandHandler | None = None
    # Told about button data that names something the person was never offered (forged or
    # tampered with), so the refusal can be written to the audit log.
    rejected: Callable[[Ctx, str], None] | None = None
    months: dict[str, int] = field(default_factory=dict)
    # Folded words for a day relative to today ("vakar", "вчера": -1), in every language.
    relative_days: dict[str, int] = field(default_factory=dict)
    yes_words: dict[str, frozenset[str]] = field(default_factory=dict)
    no_words: dict[str, frozenset[str]] = field(default_factory=dict)

    def names(self) -> set[str]:
        return set(self.actions) | set(self.conditions) | set(self.providers)
