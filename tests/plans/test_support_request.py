"""A parent without an invitation asks for support; the coordinator accepts and starts a plan."""

from __future__ import annotations

import asyncio

from sqlalchemy import select, text

from bot.storage.models import ParentLink, Plan, SupportRequest
from tests.people.harness import Chat, rows
from tests.people.test_access import _invite

COORD, PARENT = 81, 82


def test_request_from_parent_to_plan(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        await chat.say(
            COORD, f"/start {await _invite(chat, 'coordinator', 'Kuldīgas Centra vidusskola')}"
        )
        await chat.say(PARENT, "/menu", lang="ru")
        await chat.press(PARENT, "Попросить поддержку")
        shown = await chat.say(PARENT, "нет такой школы", lang="ru")
        assert any("Такую школу не нашёл" in s for s in shown)
        assert "В какой школе" in shown[-1]  # asked again, not sent back to the menu
        await chat.say(PARENT, "Кулдига", lang="ru")  # the town, in Cyrillic
        assert "Kuldīgas Centra vidusskola" in str(chat.labels(PARENT))
        await chat.press(PARENT, "Искать снова")
        await chat.say(PARENT, "kuldigas centra", lang="ru")
        await chat.press(PARENT, "Kuldīgas Centra vidusskola")
        await chat.say(PARENT, "Мария", lang="ru")
        await chat.say(PARENT, "4b", lang="ru")
        await chat.say(PARENT, "Дочь часто плачет утром и не хочет идти в школу.", lang="ru")
        chat._turns.clear()
        await chat.press(PARENT, "Да")
        notified = [r for turn in chat._turns for r in turn.replies if r.chat_id == COORD]
        assert len(notified) == 1  # the coordinator is told, without the child's name
        assert "Мария" not in str(notified[0].parts)
        assert any("Просьба отправлена в школу" in s for s in chat.log[PARENT])
        raw = await rows(chat.db, text("SELECT child_name, worry FROM support_requests"))
        assert raw[0][0].startswith("enc1:") and "плачет" not in raw[0][1]

        await chat.say(COORD, "/menu")
        await chat.press(COORD, "Atbalsta lūgumi")
        await chat.press(COORD, "Lūgums Nr. 1")
        assert any("Мария, 4.b" in s for s in chat.log[COORD][-2:])
        await chat.press(COORD, "Pieņemt")
        await chat.press(COORD, "Sākt plānu")
        assert any("Kuram semestrim" in s for s in chat.log[COORD][-1:])
        await chat.press(COORD, "2026/27")
        assert (await rows(chat.db, select(ParentLink.id))) != []
        assert (await rows(chat.db, select(SupportRequest.status))) == [("accepted",)]
        assert (await rows(chat.db, select(Plan.status))) == [("draft",)]
        await chat.say(PARENT, "/menu", lang="ru")
        assert "🧒 Мой ребёнок" in chat.labels(PARENT)
        await chat.close()

    asyncio.run(go())
