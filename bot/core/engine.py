"""The dialog engine: one event and a cursor in, replies and the new cursor out (a Turn).

It does no I/O of its own and reads no clock: named actions, conditions and option providers from
the registry do the work, through the services the caller put into the context.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from bot.core import callbacks
from bot.core.context import Ctx, Cursor
from bot.core.events import MAX_TEXT, Event, EventKind
from bot.core.flows import Flow
from bot.core.registry import Registry
from bot.core.replies import Reply, reply, say
from bot.core.steps import StepRunner

MENU = "menu"
ONBOARDING = "onboarding"
LANGUAGE = "language"
BUILTIN_COMMANDS = ("start", "menu", "help", "language", "cancel")


@dataclass(slots=True)
class Turn:
    """What one event produced: messages to send, the cursor to store, the language to use."""

    replies: list[Reply]
    cursor: Cursor
    language: str
    flags: frozenset[str] = frozenset()  # requests to the channel, e.g. "delete_trigger"


class Engine:
    def __init__(self, flows: dict[str, Flow], registry: Registry) -> None:
        for required in (MENU, ONBOARDING, LANGUAGE):
            if required not in flows:
                raise ValueError(f"dialog {required!r} is missing")
        self.flows = flows
        self.registry = registry

    def handle(self, cursor: Cursor, event: Event, ctx: Ctx) -> Turn:
        work = Cursor(cursor.dialog, cursor.step, _copy(cursor.data), cursor.serial)
        run = StepRunner(self.flows, self.registry, work, ctx)
        _Dispatch(self, run, event, ctx).dispatch()
        run.flush()  # notes not followed by a prompt still go out
        return Turn(run.replies, work, ctx.language)

    def resume(self, cursor: Cursor, ctx: Ctx) -> Turn:
        """Show the current step again (a console restart, a stale button)."""
        work = Cursor(cursor.dialog, cursor.step, _copy(cursor.data), cursor.serial)
        run = StepRunner(self.flows, self.registry, work, ctx)
        run.reshow()
        return Turn(run.replies, work, ctx.language)

    def visible_commands(self, ctx: Ctx) -> list[str]:
        extra = [
            c.name
            for c in self.registry.commands.values()
            if c.roles is None or ctx.has_role(*c.roles)
        ]
        return [*BUILTIN_COMMANDS, *extra]


def _copy(value: Any) -> Any:
    """A deep copy of cursor data; JSON-shaped data (all a stored cursor holds) without
    `copy.deepcopy`'s memo bookkeeping, which costs several times more per update."""
    kind = type(value)
    if kind is dict:
        return {k: _copy(v) for k, v in value.items()}
    if kind is list:
        return [_copy(v) for v in value]
    if kind in _ATOMS:
        return value
    return copy.deepcopy(value)


_ATOMS = frozenset({str, int, float, bool, type(None)})


class _Dispatch:
    def __init__(self, engine: Engine, run: StepRunner, event: Event, ctx: Ctx) -> None:
        self.engine, self.run, self.event, self.ctx = engine, run, event, ctx

    def dispatch(self) -> None:
        kind = self.event.kind
        if kind == EventKind.GROUP:
            self.run.say(say("error.group_chat"))
        elif kind == EventKind.EDITED:
            self.run.say(say("error.edited_message"))
        elif kind == EventKind.UNSUPPORTED:
            self.run.say(say("error.unsupported_content"))
            self.run.reshow()
        elif kind == EventKind.COMMAND:
            self.command(self.event.command, self.event.args)
        elif kind == EventKind.BUTTON:
            self.button(self.event.payload)
        elif self.event.too_long:
            self.run.say(say("error.message_too_long", count=MAX_TEXT))
            self.run.reshow()
        else:
            self.text(self.event.text)

    def command(self, name: str, args: str) -> None:
        run = self.run
        if name == "start":
            self.start(args)
        elif name == "menu":
            run.start_dialog(MENU)
        elif name == "cancel":
            left = not run.cursor.idle and run.cursor.dialog != MENU
            run.say(say("cancel.done" if left else "cancel.nothing"))
            run.start_dialog(MENU)
        elif name == "help":
            run.help(self.engine.visible_commands(self.ctx))
        elif name == "language":
            run.start_dialog(LANGUAGE)
        elif (cmd := self.engine.registry.commands.get(name)) is not None:
            if cmd.roles is not None and not self.ctx.has_role(*cmd.roles):
                run.say(say("error.command_not_allowed", command="/" + name))
                run.reshow()
            elif cmd.handler is not None:
                run.apply_result(cmd.handler(self.ctx, args))
            elif cmd.target is not None:
                run.go_target(cmd.target)
        else:
            run.say(say("error.unknown_command", command="/" + name[:32]))
            run.help(self.engine.visible_commands(self.ctx))

    def start(self, args: str) -> None:
        run = self.run
        redeem = self.engine.registry.redeem
        if args and redeem is not None:
            run.apply_result(redeem(self.ctx, args))
            return
        if args:
            run.say(say("start.unknown_token"))
        run.start_dialog(ONBOARDING if self.ctx.person.is_new else MENU)

    def button(self, payload: str) -> None:
        run = self.run
        pressed = callbacks.decode_global(payload)
        if pressed is not None:
            handler = self.engine.registry.buttons.get(pressed[0])
            if handler is None:
                run.say(say("error.unknown_button"))
                run.reshow()
            else:
                run.apply_result(handler(self.ctx, pressed[1]))
            return
        press = callbacks.decode(payload)
        if press is None:
            if self.engine.registry.rejected is not None:
                self.engine.registry.rejected(self.ctx, payload[:64])
            run.say(say("error.unknown_button"))
            run.reshow()
        elif press.serial != run.cursor.serial or run.cursor.idle:
            run.say(say("error.stale_button"))
            run.reshow()
        else:
            run.press(press.value)

    def text(self, text: str) -> None:
        run = self.run
        if run.accepts_text():
            run.typed(text)
        elif run.free_text_allowed() and self.engine.registry.free_text is not None:
            run.apply_result(self.engine.registry.free_text(self.ctx, text))
        else:
            run.say(say("error.use_buttons"))
            run.reshow()


__all__ = ["Engine", "Turn", "reply"]
