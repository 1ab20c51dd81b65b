"""The console as the whole product: moving the clock with `reminders run-once` shows each
reminder to its person once, in their language, with working buttons."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.storage.models import OutboxMessage, Reminder
from tests.console_run import chat, run_cli
from tests.reminder_world import local, plan, rows, school_with_staff, unit

TEACHER, COORDINATOR = 601, 602  # Telegram ids: the teacher reads Latvian, the coordinator Russian
MONDAY = dt.date(2027, 1, 4)


def _seed(db_url: str) -> None:
    since = local(MONDAY, 15)

    def seed(s: object) -> None:
        w = school_with_staff(s)  # type: ignore[arg-type]
        plan(s, w, "draft", since=since)  # type: ignore[arg-type]
        plan(s, w, "approval", since=since)  # type: ignore[arg-type]

    unit(db_url, seed, now=since)


def _run_once(db_url: str, now: str) -> str:
    result = run_cli(db_url, "reminders", "run-once", "--now", now)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_reminders_reach_console_users_once_in_their_language(db_url: str) -> None:
    _seed(db_url)
    # The draft has waited three days on Thursday at 09:00 Riga time, not a minute earlier.
    _run_once(db_url, "2027-01-07T08:59+02:00")
    assert "Atgādinājums" not in chat(db_url, [], "--user", str(TEACHER))
    _run_once(db_url, "2027-01-07T09:00+02:00")

    teacher = chat(db_url, [], "--user", str(TEACHER))
    assert "Atgādinājums: plāna Nr. 1 projekts gaida jau dažas dienas." in teacher
    assert "[2] ✅ Izdarīts" in teacher and "[3] ⏰ Atgādināt rīt" in teacher

    # The coordinator reads Russian: the approval reminder, and the digest, one figure per line.
    coordinator = chat(db_url, ["2"], "--user", str(COORDINATOR))
    assert "Напоминание: план № 2 ждёт вашего согласования." in coordinator
    assert "• проект: 1\n• на согласовании: 1" in coordinator
    assert "Отмечено как сделанное." in coordinator  # [2] pressed on the mailed reminder

    # Shown once: a later start shows the menu only, and running the clock again adds nothing.
    _run_once(db_url, "2027-01-07T09:05+02:00")
    assert "Atgādinājums" not in chat(db_url, [], "--user", str(TEACHER))
    waiting = rows(db_url, select(OutboxMessage.id).where(OutboxMessage.state == "pending"))
    assert waiting == []
    done = rows(db_url, select(Reminder.rule, Reminder.status).where(Reminder.user_id.isnot(None)))
    assert ("approval_waiting", "done") in done


def test_with_a_bot_token_the_console_leaves_the_outbox_to_telegram(db_url: str) -> None:
    _seed(db_url)
    _run_once(db_url, "2027-01-07T09:00+02:00")
    token = "123456:TESTtoken_abcdefghijklmnopqrstu"
    result = run_cli(db_url, "chat", "--user", str(TEACHER), BOT_TOKEN=token)
    assert result.returncode == 0, result.stderr
    assert "Atgādinājums" not in result.stdout
    pending = rows(db_url, select(OutboxMessage.chat_id).where(OutboxMessage.state == "pending"))
    assert (TEACHER,) in pending
