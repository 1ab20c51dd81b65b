"""Security evidence: tampered button data, invitation guessing, markup in user text, and logs
of a full session (in-process; the real bot's log is checked by the crash runs).

The webhook secret is covered with webhook mode, which lives elsewhere.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import secrets

import pytest
from sqlalchemy import func, select

from bot.core.events import Event, EventKind, text_event
from bot.storage.models import AuditEntry, Membership
from bot.storage.repos import invitations
from tests.evidence import invariants
from tests.evidence.crowd import Crowd, answered
from tests.evidence.flags import report
from tests.evidence.world import (
    COORD,
    GUEST_RU,
    HEAD,
    NEWCOMER,
    OTHER_TEACHER,
    TEACHER,
    World,
    open_chat,
    seed,
)
from tests.fake_telegram import parse_html
from tests.people.harness import rows
from tests.people.test_access import _invite

VICTIM_TOURS = {
    HEAD: ["/plans", 0, 0, "/menu", 3, 0],
    TEACHER: ["/plans", 0, "/menu", 3, 0, 0],
    COORD: ["/menu", 3, 0, "/menu", 4, 0, "/plans", 0, 0],
}
SECRETS = ("Lauma", "Marta", "Pēteris", "Septembrī trīs", "Ģimene nevar", "sociālais pedagogs Anna")


async def _tour(crowd: Crowd, user: int, steps: list[str | int]) -> None:
    """Browse as a person would: commands, then the n-th button of the latest message."""
    for step in steps:
        if isinstance(step, str):
            await crowd.send(text_event(user, user, step, name="x"), check=False)
        elif (mine := crowd.buttons(user))[step:]:
            await crowd.send(Event(user, user, EventKind.BUTTON, payload=mine[step]), check=False)


def test_tampered_button_data_reaches_nothing(world: World) -> None:
    """Outsiders replay every value insiders were offered, with their own current serial and
    with ids renumbered: each gets a polite answer, sees nothing and changes nothing."""

    async def run(url: str) -> None:
        chat = open_chat(url)
        chat.latest = dict(world.latest)
        crowd = Crowd(chat)
        try:
            for user, steps in VICTIM_TOURS.items():
                await _tour(crowd, user, steps)
            values = {d.split(":", 1)[1] for u in VICTIM_TOURS for d in crowd.seen.get(u, [])}
            # Renumbered ids, including ones past the database's 32-bit ids (refused, not a crash).
            huge = (478536637399, 2**31)
            values |= {re.sub(r"\d+", str(n), v) for v in values for n in (1, 2, 3, 99, *huge)}
            seen = {d for u in VICTIM_TOURS for d in crowd.seen.get(u, [])}
            # Buttons that work on any message (notifications, answers) replayed as they are.
            globals_ = {re.sub(r"\d+", str(n), d) for d in seen if d.startswith("G:") for n in huge}
            before = await chat.db.run(invariants.snapshot)
            denied_before = await chat.db.run(_denied)
            tries = 0
            for attacker in (OTHER_TEACHER, GUEST_RU, NEWCOMER):
                for where in ("/menu", "/plans"):
                    await crowd.send(text_event(attacker, attacker, where, name="x"))
                    for value in sorted(values):
                        # The attacker's own current serial, so only the value is foreign.
                        serial = (crowd.buttons(attacker) or ["0:x"])[0].split(":", 1)[0]
                        data = f"{serial}:{value}"
                        event = Event(attacker, attacker, EventKind.BUTTON, payload=data)
                        outcome = await crowd.send(event)
                        tries += 1
                        shown = "\n".join(outcome.shown.get(attacker, []))
                        assert answered(event, outcome) and not outcome.internal_error, event
                        assert not [s for s in SECRETS if s in shown], (event, shown)
                        assert not outcome.broken, outcome.broken
                        # Only the attacker hears anything back: no one else is notified.
                        assert set(outcome.shown) <= {attacker}, (event, outcome.shown)
                    for data in sorted(globals_):
                        event = Event(attacker, attacker, EventKind.BUTTON, payload=data)
                        outcome = await crowd.send(event)
                        tries += 1
                        assert answered(event, outcome) and not outcome.internal_error, event
                        assert not outcome.broken, outcome.broken
            after = await chat.db.run(invariants.snapshot)
            assert after.plans == before.plans  # no plan changed, appeared or vanished
            denied = await chat.db.run(_denied) - denied_before
            report("tampered buttons", values=len(values), tries=tries, refusals_audited=denied)
            assert denied > 0
        finally:
            await chat.close()

    with world.clone() as url:
        asyncio.run(run(url))


def _denied(session: object) -> int:
    query = select(func.count()).where(AuditEntry.action == "access.denied")
    return int(session.execute(query).scalar_one())  # type: ignore[attr-defined]


def test_invitation_guessing_is_slowed_to_five_tries_per_quarter_hour(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A guesser typing a token every 30 s for 100 minutes gets only a handful evaluated."""
    clock = [dt.datetime(2026, 10, 5, 9, 0, tzinfo=dt.UTC)]
    monkeypatch.setattr(invitations, "utcnow", lambda: clock[0])

    async def run() -> None:
        chat = open_chat(db_url)
        try:
            token = await _invite(chat, "teacher", "Talsu vidusskola")
            slowed = 0
            for _ in range(200):
                shown = await chat.say(600, f"/start {secrets.token_urlsafe(24)}")
                slowed += any("Pārāk daudz neveiksmīgu" in t for t in shown)
                clock[0] += dt.timedelta(seconds=30)
            evaluated = await rows(
                chat.db, select(AuditEntry.id).where(AuditEntry.action == "invitation.failed")
            )
            minutes = 200 * 30 / 60
            report("invitation guessing", attempts=200, evaluated=len(evaluated), slowed=slowed)
            assert len(evaluated) <= 5 * (minutes // 15 + 1)
            assert slowed >= 200 - len(evaluated)
            # The real owner of a token is not locked out by someone else's guessing.
            await chat.say(601, f"/start {token}")
            assert await rows(chat.db, select(Membership.role)) == [("teacher",)]
        finally:
            await chat.close()

    asyncio.run(run())


NAME = "<b>Anna</b> *Ilze* _x_ &amp;"  # a pupil's name as a teacher might paste it
QUESTION = "<i>Kā</i> rīkoties? **steidzami** [saite](http://piem.lv) <script>x</script> & <"


def _literal(chunks: list[str], typed: str) -> int:
    """How often `typed` appears literally in what Telegram would show, with no formatting on
    it; every chunk must be valid Telegram HTML."""
    found = 0
    for chunk in chunks:
        text, entities = parse_html(chunk)  # raises on anything Telegram would refuse
        at = text.find(typed)
        while at >= 0:
            start = len(text[:at].encode("utf-16-le")) // 2
            end = start + len(typed.encode("utf-16-le")) // 2
            assert not [
                e for e in entities if e["offset"] < end and start < e["offset"] + e["length"]
            ]
            found += 1
            at = text.find(typed, at + 1)
    return found


def test_html_and_markdown_typed_by_people_are_shown_as_typed(world: World) -> None:
    """A pupil's name and a question full of markup come back literally, never as formatting."""

    async def run(url: str) -> None:
        chat = open_chat(url)
        chat.latest = dict(world.latest)
        crowd = Crowd(chat)
        t = TEACHER
        try:
            await crowd.send(text_event(t, t, "/menu", name="x"))
            await crowd.send(crowd.press(t, "Skolēni"))
            await crowd.send(crowd.press(t, "Pievienot skolēnu"))
            await crowd.send(text_event(t, t, NAME, name="x"))
            added = await crowd.send(text_event(t, t, "5.a", name="x"))
            shown = _literal(added.html[t], NAME)
            card = await crowd.send(crowd.press(t, NAME))
            shown += _literal(card.html[t], NAME)
            asked = await crowd.send(text_event(GUEST_RU, GUEST_RU, QUESTION, name="x"))
            _literal(asked.html[GUEST_RU], QUESTION)
            report("markup shown as text", literal_occurrences=shown)
            assert shown >= 2
        finally:
            await chat.close()

    with world.clone() as url:
        asyncio.run(run(url))


class _Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def test_logs_of_a_full_session_hold_no_names_tokens_or_justifications(db_url: str) -> None:
    """Everything logged at DEBUG while a school is set up and a plan is written and approved."""
    typed: list[str] = []
    handler = _Everything()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)

    async def run() -> None:
        chat = open_chat(db_url)
        say = chat.say

        async def recording(user: int, text: str, lang: str = "lv") -> list[str]:
            typed.append(text)
            return await say(user, text, lang)

        chat.say = recording  # type: ignore[method-assign]
        try:
            await seed(chat)
        finally:
            await chat.close()

    try:
        asyncio.run(run())
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    tokens = [t.split()[1] for t in typed if t.startswith("/start ")]
    private = [*SECRETS, *tokens, "Anna, 5.c"]
    log = "\n".join(handler.lines)
    report("session log", records=len(handler.lines), tokens=len(tokens), leaks=0)
    assert len(tokens) >= 5 and handler.lines
    assert not [p for p in private if p in log]
