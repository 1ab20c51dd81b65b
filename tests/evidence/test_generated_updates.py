"""Random sequences of updates from every role: texts, commands, presses (valid, stale, forged),
unsupported content. Each update: no caught exception, a private message is always answered,
replies are valid Telegram HTML, and the database invariants (see invariants.py) hold."""

from __future__ import annotations

import asyncio
import re
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.events import Event, EventKind, text_event
from tests.evidence.crowd import Crowd, ErrorLog, answered
from tests.evidence.flags import LONG, report, scale
from tests.evidence.world import COORD, HEAD, PEOPLE, TEACHER, World, open_chat

EXAMPLES = scale(8, 100)
STEPS = scale(50, 100)  # long: 100 runs x 100 updates = 10,000 generated updates
TOTALS = {
    "updates": 0,
    "runs": 0,
    "plan_changes": 0,
    "exceptions": 0,
    "unanswered": 0,
    "seconds": 0.0,
}

COMMANDS = (
    "start", "menu", "help", "language", "cancel", "topics", "plans", "newplan",
    "dashboard", "mydata", "forget", "nosuchcommand", "START", "start@pumpurs_bot",
)  # fmt: skip
WORDS = (
    "Jā", "Nē", "Lauma", "6.b", "1.10.2026", "15.12.2026", "31.02.2026", "6.11.2026", "1,5",
    "3", "0", "-4", "1e9", "reizi mēnesī", "sociālais pedagogs Anna", "\\7", "   ",
    "Septembrī trīs no četriem kontroldarbiem nav nokārtoti.",
    "Kā skola var palīdzēt, ja bērns bieži kavē?", "Как помочь ребенку, если он прогуливает?",
    "<b>bold</b> <script>alert(1)</script> & <a href='x'>", "*bold* _it_ `code` [link](http://x.lv)",
    "Rīgas 40. vidusskola", "Lauma\x00 6.b", "😀🙂", "x" * 4100,
)  # fmt: skip
LANGS = ("lv", "ru", "en", None)
# Plan authors and approvers act more often, so runs get deep into plans, not only menus.
ACTORS = (*PEOPLE, TEACHER, TEACHER, TEACHER, HEAD, COORD)
_DIGITS = re.compile(r"\d+")


def _draw_event(data: st.DataObject, crowd: Crowd, previous: int | None) -> Event:
    # Mostly the same person goes on (a session gets deep), sometimes someone else cuts in.
    stay = previous is not None and data.draw(st.integers(0, 3), label="stay") > 0
    user = previous if stay and previous else data.draw(st.sampled_from(ACTORS), label="user")
    lang = data.draw(st.sampled_from(LANGS), label="lang")
    kind = data.draw(
        st.sampled_from(
            ["press"] * 8 + ["text"] * 3 + ["command"] * 3 + ["stale", "forge", "forge", "other"]
        ),
        label="kind",
    )
    mine = crowd.buttons(user)
    if kind == "press" and mine:
        return _button(user, data.draw(st.sampled_from(mine), label="button"))
    if kind == "stale" and crowd.seen.get(user):
        return _button(user, data.draw(st.sampled_from(crowd.seen[user]), label="old button"))
    if kind == "forge":
        return _button(user, data.draw(_forged(crowd), label="forged"))
    if kind == "command":
        name = data.draw(st.sampled_from(COMMANDS), label="command")
        args = data.draw(st.one_of(st.just(""), st.text(max_size=30)), label="args")
        return text_event(
            user, user, f"/{name} {args}".strip(), name=f"U{user}", language_code=lang
        )
    if kind == "other":
        return data.draw(_other(user), label="other")
    text = data.draw(st.one_of(st.sampled_from(WORDS), st.text(max_size=80)), label="text")
    return text_event(user, user, text, name=f"U{user}", language_code=lang)


def _forged(crowd: Crowd) -> st.SearchStrategy[str]:
    everyone = sorted({d for seen in crowd.seen.values() for d in seen})
    allowed = st.text(alphabet="0123456789abcdefgGz:_-.", max_size=70)
    if not everyone:
        return st.one_of(allowed, st.text(max_size=70))
    renumbered = st.tuples(st.sampled_from(everyone), st.integers(-5, 10**12)).map(
        lambda t: _DIGITS.sub(str(t[1]), t[0], count=1)
    )
    return st.one_of(st.sampled_from(everyone), renumbered, allowed, st.text(max_size=70))


def _other(user: int) -> st.SearchStrategy[Event]:
    kinds = (EventKind.UNSUPPORTED, EventKind.EDITED, EventKind.GROUP)
    return st.sampled_from(kinds).map(
        lambda k: Event(
            user,
            -1000 - user if k == EventKind.GROUP else user,
            k,
            content_type="sticker" if k == EventKind.UNSUPPORTED else "",
            name=f"U{user}",
        )
    )


def _button(user: int, payload: str) -> Event:
    return Event(user, user, EventKind.BUTTON, payload=payload, name=f"U{user}")


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_updates_break_nothing(world: World, data: st.DataObject) -> None:
    async def run(url: str) -> None:
        chat = open_chat(url)
        chat.latest = dict(world.latest)
        crowd = Crowd(chat)
        try:
            with ErrorLog() as errors:
                previous: int | None = None
                for _ in range(STEPS):
                    event = _draw_event(data, crowd, previous)
                    previous = event.user_id
                    outcome = await crowd.send(event)
                    TOTALS["updates"] += 1
                    TOTALS["plan_changes"] += outcome.plans_changed
                    TOTALS["exceptions"] += len(errors.records)
                    TOTALS["unanswered"] += not answered(event, outcome)
                    assert not errors.records, [r.getMessage() for r in errors.records]
                    assert not outcome.internal_error, event
                    assert answered(event, outcome), event
                    assert not outcome.bad_html, outcome.bad_html
                    assert not outcome.broken, outcome.broken
        finally:
            await chat.close()

    started = time.monotonic()
    with world.clone() as url:
        asyncio.run(run(url))
    TOTALS["runs"] += 1
    TOTALS["seconds"] += time.monotonic() - started


def test_zz_report_figures() -> None:
    """Prints what the generated runs covered (the long variant's evidence)."""
    if TOTALS["runs"]:
        report("generated updates", long=LONG, **{**TOTALS, "seconds": round(TOTALS["seconds"])})
    assert TOTALS["exceptions"] == 0 and TOTALS["unanswered"] == 0


def test_back_into_a_confirmation_whose_question_was_cleared_asks_again(world: World) -> None:
    """Found by the generated runs: No, then Back, then Yes stored a question that was gone."""

    async def run(url: str) -> None:
        chat = open_chat(url)
        crowd = Crowd(chat)
        t = TEACHER
        try:
            with ErrorLog() as errors:
                await crowd.send(text_event(t, t, "/menu", name="x"))
                await crowd.send(crowd.press(t, "jautājumu skolai"))
                await crowd.send(text_event(t, t, "Kā pieteikt konsultāciju?", name="x"))
                await crowd.send(crowd.press(t, "Nē"))
                await crowd.send(crowd.press(t, "Atpakaļ"))
                outcome = await crowd.send(crowd.press(t, "Jā"))
            assert not errors.records and not outcome.internal_error
            assert "Solis 2 no 3" in outcome.shown[t][-1]  # the question is asked again
        finally:
            await chat.close()

    with world.clone() as url:
        asyncio.run(run(url))
