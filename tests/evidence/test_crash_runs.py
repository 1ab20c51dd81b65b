"""SIGKILL at random points of a scripted plan session over Telegram; after each restart the
session goes on where it was, and at the end the plan and the conversation are intact.

Each run prints its seed; EVIDENCE_SEED=N replays that run (the kill points and delays).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.domain.semesters import DEFAULT_SEMESTERS, current_and_next
from bot.storage.database import Database
from bot.storage.models import InboxUpdate, Plan, PlanEvent, Pupil, School
from bot.storage.repos import schools
from tests.console_run import bot_env
from tests.e2e import harness
from tests.e2e.harness import Bot, button, cli_invite, running_bot, table_rows
from tests.evidence.flags import report, scale, seeds
from tests.fake_telegram import FakeTelegram

TEACHER = 501
WHY = "Oktobrī nav nokārtoti divi matemātikas kontroldarbi pēc kārtas."
PUPIL_PART = "Skolēns apņemas apmeklēt konsultācijas otrdienās."
PARENT_PART = "Vecāki katru nedēļu pārbauda e-klasi."
Message = dict[str, Any]
SHORT_STEPS = 10  # up to the first justification


@dataclass(frozen=True)
class Step:
    """Do something, then wait for the bot's answer that contains `expect`."""

    act: Callable[[FakeTelegram, Message | None], None]
    expect: str
    toggle: bool = False  # the answer is the same message, edited to show a tick


def say(text: str) -> Callable[[FakeTelegram, Message | None], None]:
    return lambda tg, last: tg.send_text(TEACHER, text)


def press(label: str) -> Callable[[FakeTelegram, Message | None], None]:
    def act(tg: FakeTelegram, last: Message | None) -> None:
        assert last is not None
        tg.press_button(TEACHER, last, button(last, label))

    return act


def first_button(tg: FakeTelegram, last: Message | None) -> None:
    assert last is not None
    tg.press_button(TEACHER, last, last["reply_markup"]["inline_keyboard"][0][0]["callback_data"])


def review_day(today: dt.date) -> dt.date:
    semester = current_and_next(DEFAULT_SEMESTERS, today)[0]
    return max(semester.middle, min(today + dt.timedelta(days=1), semester.end))


def script(token: str, review: dt.date) -> list[Step]:
    return [
        Step(say(f"/start {token}"), "Galvenā izvēlne"),
        Step(say("/newplan"), "Kuram skolēnam"),
        Step(press("Lauma, 6.b"), "Kuram semestrim"),
        Step(first_button, "Kā tas ir saņemts"),
        Step(press("Vecāks apstiprinās"), "Riski. Izvēlieties"),
        Step(press("Mācību darba"), "atzīmējiet skolēnam atbilstošos riskus"),
        Step(first_button, "✅", toggle=True),
        Step(press("Gatavs"), "Riski. Izvēlieties"),
        Step(press("Riski izvēlēti"), "Pamatojums 1/1"),
        Step(say(WHY), "Mērķis 1/1"),
        Step(press("Bez mērķa"), "Atbalsta pasākumi"),
        Step(first_button, "✅", toggle=True),
        Step(press("Gatavs"), "Pasākums 1/1"),
        Step(press("Atstāt tā"), "Ko apņemas pats skolēns"),
        Step(say(PUPIL_PART), "vecāku loma"),
        Step(say(PARENT_PART), "pārskatīšanas datums"),
        Step(say(f"{review.day}.{review.month}.{review.year}"), "Pārbaudiet plānu"),
        Step(press("Iesniegt saskaņošanai"), "iesniegts saskaņošanai"),
        Step(say("/plans"), "Atbalsta plāni"),
    ]


def _answer(tg: FakeTelegram, step: Step, seen: int, last: Message | None) -> Message:
    """The bot's answer to a step: a new message, or for a toggle the edited one."""

    def found() -> Message | None:
        if step.toggle and last is not None:
            now = next(
                m for m in tg.sent_messages(TEACHER) if m["message_id"] == last["message_id"]
            )
            marks = [b["text"] for r in now.get("reply_markup", {}).get("inline_keyboard", [])
                     for b in r]  # fmt: skip
            return now if any(m.startswith("✅") for m in marks) else None
        fresh = tg.sent_messages(TEACHER)[seen:]
        return next((m for m in reversed(fresh) if step.expect in m.get("text", "")), None)

    return tg.wait_for(found, timeout=60, description=f"an answer with {step.expect!r}")


def _prepare(db_url: str) -> str:
    token = cli_invite(db_url, "teacher", "Jelgavas 4. vidusskola")

    async def pupil() -> None:
        db = Database(db_url)

        def add(s: Any) -> None:
            school = s.execute(select(School)).scalar_one()
            schools.add_pupil(s, school.id, "Lauma", "6.b", 0)

        await db.run(add)
        await db.close()

    import asyncio

    asyncio.run(pupil())
    return token


def _kill_and_restart(bot: Bot, rng: random.Random) -> None:
    time.sleep(rng.uniform(0.0, 0.5))  # somewhere while the update is received, handled or sent
    bot.kill()
    bot.start()


def _check_plan(db_url: str, review: dt.date, full: bool) -> None:
    plans = table_rows(db_url, Plan)
    assert len(plans) == 1, "a replayed update must not create a second plan"
    plan, content = plans[0], plans[0].content
    assert [r["why"] for r in content["risks"]] == [WHY]
    moves = [e.move for e in sorted(table_rows(db_url, PlanEvent), key=lambda e: e.id)]
    assert [p.name for p in table_rows(db_url, Pupil)] == ["Lauma"]
    assert {r.status for r in table_rows(db_url, InboxUpdate)} == {"done"}
    if not full:
        assert (plan.status, moves) == ("draft", ["create"])
        return
    assert (plan.status, moves) == ("approval", ["create", "submit"])
    risk = content["risks"][0]["code"]
    assert content["measures"] and all(risk in m["answers"] for m in content["measures"])
    assert content["review_date"] == review.isoformat()
    assert PUPIL_PART in str(content["commitments"]) and PARENT_PART in str(content["commitments"])


@pytest.mark.parametrize("seed", seeds(scale(1, 10)))
def test_plan_session_survives_sigkills(
    db_url: str, tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Short: the session up to the first justification, one kill; long: all of it, three."""
    # The bot logs at DEBUG here, so the log check below sees everything it could ever say.
    monkeypatch.setattr(
        harness, "bot_env", lambda url, **kw: bot_env(url, **{**kw, "LOG_LEVEL": "DEBUG"})
    )
    print(f"crash run seed={seed} (replay: EVIDENCE_SEED={seed})")
    rng = random.Random(seed)
    review = review_day(dt.date.today())
    token = _prepare(db_url)
    steps = script(token, review)[: scale(SHORT_STEPS, 99)]
    kills = sorted(rng.sample(range(len(steps) - 1), scale(1, 3)))
    started = time.monotonic()
    with running_bot(db_url, tmp_path) as (tg, bot):
        last: Message | None = None
        for i, step in enumerate(steps):
            seen = len(tg.sent_messages(TEACHER))
            step.act(tg, last)
            if i in kills:
                _kill_and_restart(bot, rng)
            last = _answer(tg, step, seen, last)
    _check_plan(db_url, review, full=len(steps) > SHORT_STEPS)
    # The log of the whole session names no pupil and holds no justification or token.
    log = (tmp_path / "bot.log").read_text(encoding="utf-8")
    assert not [secret for secret in ("Lauma", WHY, token) if secret in log]
    report("crash run", seed=seed, kills=len(kills), at_steps=kills, steps=len(steps),
           lost_plan_data=0, seconds=round(time.monotonic() - started, 1))  # fmt: skip
