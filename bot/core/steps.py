"""Moves one cursor through the flows during a turn: enter steps, render prompts, take answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.core import callbacks
from bot.core.context import Ctx, Cursor
from bot.core.dates import fold, parse_date
from bot.core.flows import DIALOG_PREFIX, END, STOP, Flow, InputKind, Step, Transition
from bot.core.registry import ActionResult, DynamicOption, Registry
from bot.core.replies import Button, Lines, Raw, Reply, Text, say

MAX_HOPS = 20  # message steps and skips chain; a loop in content must not hang a turn
MAX_KEPT = 1000  # characters of kept text (keep_text); the latest are what matters
# Days from today offered as buttons: ahead for plans and reviews, back for papers received.
DATE_BUTTON_DAYS = (1, 7, 14, 30)
PAST_BUTTON_DAYS = (0, -1, -2, -7)
DATE_BUTTONS = 4


class StepRunner:
    def __init__(
        self, flows: dict[str, Flow], registry: Registry, cursor: Cursor, ctx: Ctx
    ) -> None:
        self.flows, self.registry, self.cursor, self.ctx = flows, registry, cursor, ctx
        self.replies: list[Reply] = []
        self._pending: list[Text | Raw] = []  # notes shown above the next prompt

    # --- output -----------------------------------------------------------------------------
    def say(self, text: Text) -> None:
        self._pending.append(text)

    def flush(self) -> None:
        if self._pending:
            self.replies.append(Reply(tuple(self._pending)))
            self._pending = []

    # --- where we are ------------------------------------------------------------------------
    @property
    def flow(self) -> Flow | None:
        return self.flows.get(self.cursor.dialog)

    @property
    def step(self) -> Step | None:
        flow = self.flow
        return flow.step(self.cursor.step) if flow else None

    def accepts_text(self) -> bool:
        step = self.step
        typed = (InputKind.TEXT, InputKind.NUMBER, InputKind.DATE, InputKind.YES_NO)
        return step is not None and (step.input in typed or step.keep_text is not None)

    def free_text_allowed(self) -> bool:
        return self.cursor.idle or self.cursor.dialog == "menu"

    # --- movement ----------------------------------------------------------------------------
    def start_dialog(
        self, name: str, carry: dict[str, Any] | None = None, at: str | None = None
    ) -> None:
        flow = self.flows[name]
        self.cursor.dialog, self.cursor.data = name, dict(carry or {})
        self.enter(at if at in flow.steps else flow.start)

    def stop(self) -> None:
        """Leave any dialog without a new prompt (free text is a question again)."""
        self.flush()
        self.cursor.dialog, self.cursor.step, self.cursor.data = "", "", {}

    def reshow(self) -> None:
        if self.step is None:
            self.start_dialog("menu")
        else:
            self.render(self.step)

    def enter(self, name: str) -> None:
        for _ in range(MAX_HOPS):
            flow = self.flows[self.cursor.dialog]
            step = flow.steps[name]
            self.cursor.step = name
            if step.skip_if and self._condition(step.skip_if) and step.next is not None:
                if step.next.action:
                    return self.go(step.next)
                name = step.next.target
                if self._leaves(name):
                    return self.go_target(name)
                continue
            if step.on_enter:
                result = self.registry.actions[step.on_enter](self.ctx, self.cursor.data)
                if result is not None:
                    self._merge(result)
                    if result.error is not None:  # refused: where the action says, else the menu
                        self.say(result.error)
                        if result.goto:
                            return self.go_target(result.goto, result.carry)
                        return self.start_dialog("menu")
                    if result.goto:
                        return self.go_target(result.goto)
            self.render(step)
            if step.input != InputKind.MESSAGE or step.next is None:
                return None
            name = step.next.target
            if self._leaves(name):
                return self.go_target(name)
        raise RuntimeError(f"dialog {self.cursor.dialog!r} loops without asking anything")

    def go(self, transition: Transition) -> None:
        target = transition.target
        if transition.action:
            result = self.registry.actions[transition.action](self.ctx, self.cursor.data)
            if result is not None:
                self._merge(result)
                if result.error is not None:
                    if result.goto:  # refused, and sent elsewhere (the menu, the summary)
                        self.say(result.error)
                        return self.go_target(result.goto, result.carry)
                    step = self.step
                    return self.render(step, error=result.error) if step else self.reshow()
                target = result.goto or target
                return self.go_target(target, result.carry)
        self.go_target(target)

    def go_target(self, target: str, carry: dict[str, Any] | None = None) -> None:
        if target == END:
            self.cursor.data = {}
            self.start_dialog("menu")
        elif target == STOP:
            self.stop()
        elif target.startswith(DIALOG_PREFIX):
            # "dialog:NAME#STEP" opens a dialog at a given step (resuming saved work).
            name, _, at = target[len(DIALOG_PREFIX) :].partition("#")
            self.start_dialog(name, carry, at or None)
        else:
            if self.step is not None and self.step.input != InputKind.MESSAGE:
                self.cursor.trail().append(self.cursor.step)
            self.enter(target)

    def back(self) -> None:
        trail = self.cursor.trail()
        if trail:
            self.enter(trail.pop())
        else:
            self.reshow()

    def apply_result(self, result: ActionResult) -> None:
        self._merge(result)
        if result.error is not None:
            self.say(result.error)
        if result.goto:
            self.go_target(result.goto, result.carry)
        elif result.error is not None:
            self.reshow()
        self.flush()

    def help(self, commands: list[str]) -> None:
        step = self.step
        if step is not None and step.help:
            self.say(say(step.help))
        lines = tuple(
            say("help.command", command=Raw("/" + c), description=say(f"command.{c}"))
            for c in commands
        )
        self.say(say("help.general", commands=Lines(lines)))
        self.reshow()

    def _merge(self, result: ActionResult) -> None:
        self.cursor.data.update(result.data)
        if result.note is not None:
            self.say(result.note)
        if result.replies:
            self.flush()
            self.replies.extend(result.replies)

    def _rejected(self, value: str) -> None:
        if self.registry.rejected is not None:
            self.registry.rejected(self.ctx, value)

    def _leaves(self, target: str) -> bool:
        return target in (END, STOP) or target.startswith(DIALOG_PREFIX)

    def _condition(self, name: str) -> bool:
        return self.registry.conditions[name](self.ctx, self.cursor.data)

    # --- answers -----------------------------------------------------------------------------
    def press(self, value: str) -> None:
        step = self.step
        if step is None:
            return self.reshow()
        if value == "b":
            return self.back()
        if value == "x":
            self.say(say("cancel.done"))
            return self.start_dialog("menu")
        kind = step.input
        if kind == InputKind.CHOICE and value.startswith("o"):
            return self._choose(step, value[1:])
        if kind == InputKind.MULTI and value.startswith("t"):
            return self._toggle(step, value[1:])
        if kind == InputKind.MULTI and value == "d":
            return self._multi_done(step)
        if kind == InputKind.YES_NO and value in ("y", "n"):
            transition = step.yes if value == "y" else step.no
            assert transition is not None
            return self._answer(step, value == "y", transition)
        if kind == InputKind.DATE and value.startswith("D"):
            return self._date(step, _iso_compact(value[1:]))
        self.say(say("error.unknown_button"))
        self.reshow()

    def typed(self, text: str) -> None:
        step = self.step
        assert step is not None
        if step.input == InputKind.TEXT:
            if len(text) < step.min_length:
                return self.render(step, error=say("error.text_too_short", count=step.min_length))
            if len(text) > step.max_length:
                return self.render(step, error=say("error.text_too_long", count=step.max_length))
            assert step.next is not None
            return self._answer(step, text, step.next)
        if step.input == InputKind.NUMBER:
            return self._number(step, text)
        if step.input == InputKind.DATE:
            registry = self.registry
            day = parse_date(text, self.ctx.today, registry.months, registry.relative_days)
            return self._date(step, day)
        if step.keep_text and step.kept_note:
            return self._keep(step, step.keep_text, step.kept_note, text)
        word = fold(text).strip(" .!")
        if word in self.registry.yes_words.get(self.ctx.language, frozenset()):
            assert step.yes is not None
            return self._answer(step, True, step.yes)
        if word in self.registry.no_words.get(self.ctx.language, frozenset()):
            assert step.no is not None
            return self._answer(step, False, step.no)
        self.render(step, error=say("error.use_buttons"))

    def _keep(self, step: Step, name: str, note: str, text: str) -> None:
        """Text typed where a button was expected, kept for later (a first question, say):
        several messages in a row are one question, as people often split one."""
        kept = str(self.cursor.data.get(name) or "")
        joined = f"{kept}\n{text}" if kept else text
        self.cursor.data[name] = joined[-MAX_KEPT:]
        self.render(step, error=say(note))

    def _answer(self, step: Step, value: Any, transition: Transition) -> None:
        if step.save:
            self.cursor.data[step.save] = value
        self.go(transition)

    def _choose(self, step: Step, oid: str) -> None:
        option = self._offered(step, oid)
        if option is None:
            self._rejected("o" + oid)
            self.say(say("error.stale_button"))
            return self.reshow()
        target = option.goto or (step.next.target if step.next else END)
        static = next((o for o in step.options if o.id == oid), None)
        transition = (static.next if static and static.next else None) or (
            Transition(target, step.next.action if step.next else None)
        )
        self._answer(step, oid, transition)

    def _toggle(self, step: Step, oid: str) -> None:
        if self._offered(step, oid) is None:
            self._rejected("t" + oid)
            self.say(say("error.stale_button"))
            return self.reshow()
        assert step.save is not None
        chosen = list(self.cursor.data.get(step.save, []))
        chosen.remove(oid) if oid in chosen else chosen.append(oid)
        self.cursor.data[step.save] = chosen
        self.render(step, edit=True)

    def _multi_done(self, step: Step) -> None:
        assert step.save is not None and step.next is not None
        chosen = self.cursor.data.get(step.save, [])
        least = int(step.min or 1)
        if len(chosen) < least:
            return self.render(step, error=say("error.choose_at_least", count=least))
        if step.max is not None and len(chosen) > step.max:
            return self.render(step, error=say("error.choose_at_most", count=int(step.max)))
        self.go(step.next)

    def _number(self, step: Step, text: str) -> None:
        try:
            number = float(text.replace(",", ".").replace(" ", ""))
        except ValueError:
            return self.render(step, error=say("error.not_a_number"))
        if number != number or abs(number) > 1e9:  # NaN or absurd
            return self.render(step, error=say("error.not_a_number"))
        low = step.min if step.min is not None else float("-inf")
        high = step.max if step.max is not None else float("inf")
        if not low <= number <= high:
            return self.render(
                step, error=say("error.number_range", low=_num(step.min), high=_num(step.max))
            )
        assert step.next is not None
        self._answer(step, int(number) if number.is_integer() else number, step.next)

    def _date(self, step: Step, value: dt.date | None) -> None:
        if value is None:
            return self.render(step, error=say("error.bad_date"))
        earliest, latest = self._date_bounds(step)
        if earliest is not None and value < earliest:
            return self.render(step, error=say("error.date_too_early", date=earliest))
        if latest is not None and value > latest:
            return self.render(step, error=say("error.date_too_late", date=latest))
        assert step.next is not None
        self._answer(step, value.isoformat(), step.next)

    def _date_bounds(self, step: Step) -> tuple[dt.date | None, dt.date | None]:
        today = self.ctx.today
        earliest = today + dt.timedelta(days=step.min_days) if step.min_days is not None else None
        latest = today + dt.timedelta(days=step.max_days) if step.max_days is not None else None
        given = self._day(step.latest_from)
        if given is not None and (latest is None or given < latest):
            latest = given
        return earliest, latest

    def _day(self, name: str | None) -> dt.date | None:
        """An ISO date an action left in the data under `name`, if there is one."""
        value = self.cursor.data.get(name) if name else None
        return _iso_day(value) if isinstance(value, str) else None

    def _offered(self, step: Step, oid: str) -> DynamicOption | None:
        """The first option with this id among those the prompt shows (`visible_options`), asking
        only the conditions of options with this id: conditions only read, and a menu has a dozen.
        The provider is asked as for the prompt, since it may record a refusal."""
        static = next(
            (
                o.shown
                for o in step.options
                if o.id == oid and (not o.show_if or self._condition(o.show_if))
            ),
            None,
        )
        dynamic = (
            self.registry.providers[step.options_from](self.ctx, self.cursor.data)
            if step.options_from
            else []
        )
        return static if static is not None else next((o for o in dynamic if o.id == oid), None)

    # --- rendering ---------------------------------------------------------------------------
    def visible_options(self, step: Step) -> list[DynamicOption]:
        options = [o.shown for o in step.options if not o.show_if or self._condition(o.show_if)]
        if step.options_from:
            options += self.registry.providers[step.options_from](self.ctx, self.cursor.data)
        return options

    def render(self, step: Step, error: Text | None = None, edit: bool = False) -> None:
        self.cursor.serial += 1
        parts: list[Text | Raw] = [*self._pending]
        self._pending = []
        if error is not None:
            parts.append(error)
        flow = self.flow
        n = flow.positions.get(step.name) if flow else None
        if flow and n is not None:
            parts.append(say("progress.step", n=n + 1, m=len(flow.progress)))
        parts.append(Text(step.prompt, {k: self._param(v) for k, v in step.params.items()}))
        rows = self._buttons(step)
        self.replies.append(Reply(tuple(parts), tuple(rows), edit=edit, protect=step.protect))

    def _param(self, name: str) -> Text | Raw | dt.date:
        """An answer shown in a prompt: typed text as is, {"text_key": ...} translated, and a
        date (kept as ISO text) in the reader's language."""
        value = self.cursor.data.get(name, "")
        if isinstance(value, dict) and isinstance(value.get("text_key"), str):
            return Text(value["text_key"])
        if isinstance(value, str) and (day := _iso_day(value)) is not None:
            return day
        return Raw(str(value))

    def _button(self, label: Text | Raw, value: str) -> Button:
        return Button(label, callbacks.encode(self.cursor.serial, value))

    def _buttons(self, step: Step) -> list[tuple[Button, ...]]:
        rows: list[tuple[Button, ...]] = []
        if step.input == InputKind.CHOICE:
            rows += [(self._button(o.label, "o" + o.id),) for o in self.visible_options(step)]
        elif step.input == InputKind.MULTI:
            chosen = set(self.cursor.data.get(step.save or "", []))
            for o in self.visible_options(step):
                mark = "input.toggle_on" if o.id in chosen else "input.toggle_off"
                rows.append((self._button(say(mark, label=o.label), "t" + o.id),))
            rows.append((self._button(say("input.done"), "d"),))
        elif step.input == InputKind.YES_NO:
            rows.append((self._button(say("input.yes"), "y"), self._button(say("input.no"), "n")))
        elif step.input == InputKind.DATE:
            rows.append(tuple(self._date_buttons(step)))
        nav = []
        if step.back and self.cursor.trail():
            nav.append(self._button(say("nav.back"), "b"))
        if step.cancel and self.cursor.dialog != "menu" and step.input != InputKind.MESSAGE:
            nav.append(self._button(say("nav.cancel"), "x"))
        if nav:
            rows.append(tuple(nav))
        return [r for r in rows if r]

    def _date_buttons(self, step: Step) -> list[Button]:
        earliest, latest = self._date_bounds(step)
        today = self.ctx.today
        ahead = latest is None or latest > today
        offered: list[tuple[str, dt.date]] = []
        suggested = self._day(step.suggest_from)
        if suggested is not None:
            offered.append(("input.date_suggested", suggested))
        for days in DATE_BUTTON_DAYS if ahead else PAST_BUTTON_DAYS:
            day = today + dt.timedelta(days=days)
            offered.append((_NEAR_DAYS.get(days, "input.date_button"), day))
        out, seen = [], set()
        for label, day in offered:
            fits = (earliest is None or day >= earliest) and (latest is None or day <= latest)
            if fits and day not in seen:
                seen.add(day)
                out.append(self._button(say(label, date=day), "D" + day.strftime("%Y%m%d")))
        return out[:DATE_BUTTONS]


_NEAR_DAYS = {0: "input.date_today", -1: "input.date_yesterday", 1: "input.date_tomorrow"}


def _iso_day(text: str) -> dt.date | None:
    if len(text) != 10 or text[4] != "-":  # most answers are not dates: no parsing for them
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _iso_compact(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        return None


def _num(value: float | None) -> str:
    if value is None:
        return "…"
    return str(int(value)) if float(value).is_integer() else str(value)
