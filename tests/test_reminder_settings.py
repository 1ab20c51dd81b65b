"""People turn kinds of reminder off and on, and choose the digest day, from the chat menu."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import select

from bot.storage.models import OutboxMessage, Reminder, ReminderPreference
from tests.people.harness import Chat
from tests.reminder_world import local, plan, rows, run, school_with_staff, unit

SEEDED = dt.datetime(2027, 3, 1, tzinfo=dt.UTC)


def test_settings_screen_toggles_kinds_and_sets_the_digest_day(db_url: str) -> None:
    unit(db_url, school_with_staff, SEEDED)

    async def go() -> None:
        chat = Chat.open(db_url)
        await chat.say(601, "/menu")
        await chat.press(601, "Atgādinājumi")
        assert chat.labels(601) == [
            "✅ Nepabeigti projekti: ieslēgts",
            "✅ Pārskatīšanas datumi: ieslēgts",
            "✅ Semestra beigu izvērtējums: ieslēgts",
            "✅ Pasākumi bez ierakstiem: ieslēgts",
        ]  # a teacher has no approvals and no digest
        await chat.press(601, "Pārskatīšanas datumi")
        assert "🔕 Pārskatīšanas datumi: izslēgts" in chat.labels(601)
        shown = await chat.forge(601, "G:N:w")  # the digest day is not a teacher's setting
        assert any("nav pieejams" in s for s in shown)

        await chat.say(602, "/menu", "ru")
        await chat.press(602, "Напоминания")
        assert "📅 День сводки: понедельник" in chat.labels(602)
        await chat.press(602, "День сводки")
        await chat.press(602, "среда")
        assert "📅 День сводки: среда" in chat.labels(602)
        for forged in ("G:N:d.9", "G:N:d.x", "G:N:t.nonsense", "G:N:t.review.x"):
            shown = await chat.forge(602, forged)
            assert any("недоступно" in s for s in shown), forged

        shown = await chat.forge(603, "G:N:t.approval")  # a parent has no approvals
        assert any("nav pieejams" in s for s in shown)
        await chat.close()

    asyncio.run(go())
    prefs = rows(db_url, select(ReminderPreference.off, ReminderPreference.digest_day))
    assert sorted(prefs) == [("", 2), ("review", 0)]


def test_a_kind_turned_off_is_not_sent_and_comes_back_when_on(db_url: str) -> None:
    w = unit(db_url, school_with_staff, SEEDED)
    since = dt.datetime(2027, 3, 1, 10, 0, tzinfo=dt.UTC)
    unit(db_url, lambda s: plan(s, w, "in_progress", since=since, review_date="2027-04-05"), SEEDED)

    async def toggle() -> None:
        chat = Chat.open(db_url)
        await chat.say(601, "/menu")
        await chat.press(601, "Atgādinājumi")
        await chat.press(601, "Pārskatīšanas datumi")
        await chat.close()

    asyncio.run(toggle())
    run(db_url, local(dt.date(2027, 3, 29), 9))  # "review in 7 days" is due, but turned off
    asyncio.run(toggle())  # on again
    run(db_url, local(dt.date(2027, 4, 4), 9))  # "review tomorrow"
    review = select(Reminder.rule, Reminder.status).where(Reminder.rule.like("review_in_%"))
    assert sorted(rows(db_url, review)) == [("review_in_1", "sent"), ("review_in_7", "off")]
    sent = rows(db_url, select(OutboxMessage.chat_id, OutboxMessage.payload))
    texts = [payload["text"] for chat, payload in sent if chat == 601]
    assert any("Rīt jāpārskata" in t for t in texts)
    assert not any("Pēc nedēļas jāpārskata" in t for t in texts)
