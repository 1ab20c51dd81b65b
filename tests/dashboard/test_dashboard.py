"""The coordinator's view in chat: figures, chart, paged lists, refusals, school isolation."""

from __future__ import annotations

import asyncio
import datetime as dt
import struct
from pathlib import Path

from bot.core.replies import Reply
from tests.dashboard.seed import (
    COORD,
    HEAD,
    MUNICIPAL,
    OTHER_COORD,
    PARENT,
    SCHOOL,
    SECRET_PUPIL,
    TEACHER,
    invite,
    school_with_plans,
)
from tests.people.harness import Chat


def _replies(chat: Chat) -> list[Reply]:
    return [r for turn in chat._turns for r in turn.replies]


def _photo(chat: Chat) -> str:
    (photo,) = [r.photo for r in _replies(chat) if r.photo]
    assert photo is not None
    return photo


def _png_size(path: str) -> tuple[int, int]:
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_coordinator_sees_figures_and_one_chart(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        await school_with_plans(chat)
        shown = "\n".join(await chat.say(COORD, "/dashboard"))
        for expected in (
            f"Pārskats: {SCHOOL} · 2026/27-1",
            "projekts: 1",
            "saskaņošanā: 10",
            "apstiprināts: 1",
            "īstenošanā: 2",
            "Kopā: 14 plānu",  # 14 takes the Latvian "zero" form
            "Aktīvs plāns ir 13 skolēniem.",
            "Mācību darba un izglītības iestādes riski: 13",
            "Ekonomiskie riski: 2",
            "Nokavētas pārskatīšanas: 2 plāni.",
            "Apstiprinājumu gaida 10 plānu.",  # 10: the Latvian "zero" form
            "Botu bloķējis 1 cilvēks",
        ):
            assert expected in shown, expected
        photos = [r.photo for r in _replies(chat) if r.photo]
        assert len(photos) == 1
        width, height = _png_size(photos[0])
        assert 600 <= width < height <= 1280  # a tall picture that fits a phone screen
        assert chat.labels(COORD) == [
            "⏳ Gaida apstiprinājumu (10)",
            "⏰ Nokavētas pārskatīšanas (2)",
            "📵 Nesasniedzami cilvēki (1)",
            "📄 Atskaite pašvaldībai (XLSX)",
            "📄 CSV",
        ]
        await chat.close()

    asyncio.run(go())


def test_dashboard_in_russian_with_russian_plurals(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        await school_with_plans(chat)
        await chat.say(COORD, "/dashboard")
        latvian = _photo(chat)
        await chat.say(COORD, "/dashboard")
        assert _photo(chat) == latvian  # the same figures: the picture is reused, not redrawn
        await chat.say(COORD, "/language")
        await chat.press(COORD, "Русский")
        shown = "\n".join(await chat.say(COORD, "/dashboard"))
        assert _photo(chat) != latvian  # labelled in Russian
        for expected in (
            "Обзор: Valmieras pamatskola",
            "на согласовании: 10",
            "Активный план есть у 13 учеников.",
            "Просрочен пересмотр: 2 плана.",
            "Утверждения ждут 10 планов.",
            "Бота заблокировал 1 человек",
        ):
            assert expected in shown, expected
        assert "⏳ Ждут утверждения (10)" in chat.labels(COORD)
        await chat.close()

    asyncio.run(go())


def test_the_menu_offers_the_dashboard_to_leaders_only(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        await school_with_plans(chat)
        await chat.say(HEAD, "/menu")
        await chat.press(HEAD, "📊 Skolas pārskats")
        assert any("Pārskats: Valmieras pamatskola" in t for t in chat.log[HEAD][-3:])
        await chat.say(TEACHER, "/menu")
        assert "📊 Skolas pārskats" not in chat.labels(TEACHER)
        await chat.close()

    asyncio.run(go())


def test_teacher_and_parent_are_refused_politely(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        await school_with_plans(chat)
        shown = "\n".join(await chat.say(TEACHER, "/dashboard"))
        assert "Komanda /dashboard jūsu lomai nav pieejama." in shown
        await chat.say(PARENT, f"/start {await invite(chat, 'parent', SCHOOL, 1)}", lang="ru")
        shown = "\n".join(await chat.say(PARENT, "/dashboard", lang="ru"))
        assert "Команда /dashboard недоступна для вашей роли." in shown
        # A forged list button from someone without the role shows nothing of the school.
        refusals = {TEACHER: "Skolas pārskats ir pieejams", PARENT: "Обзор школы доступен"}
        for user, refusal in refusals.items():
            shown = "\n".join(await chat.forge(user, "G:d:a.0"))
            assert refusal in shown and "Gaidītājs" not in shown
            shown = "\n".join(await chat.forge(user, "G:d:x"))
            assert refusal in shown and not [r for r in _replies(chat) if r.document]
        await chat.close()

    asyncio.run(go())


def test_lists_page_through_and_open_plans(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        ids = await school_with_plans(chat)
        await chat.say(COORD, "/dashboard")
        shown = await chat.press(COORD, "Gaida apstiprinājumu")
        assert "1. lapa no 2" in shown[0]
        labels = chat.labels(COORD)
        assert len([x for x in labels if x.startswith("Nr.")]) == 8
        assert labels[-1] == "Nākamā ▶"
        shown = await chat.press(COORD, "Nākamā")
        assert "2. lapa no 2" in shown[0]
        assert [x for x in chat.labels(COORD) if x.startswith("Nr.")] == [
            f"Nr. {ids['wait8']}: Gaidītājs8, 6.b",
            f"Nr. {ids['wait9']}: Gaidītājs9, 6.b",
        ]
        assert chat.labels(COORD)[-1] == "◀ Iepriekšējā"
        # A stale or forged page number shows the last page; malformed data is refused politely.
        shown = await chat.forge(COORD, "G:d:a.99")
        assert "2. lapa no 2" in shown[0]
        for forged in ("G:d:a.-1", "G:d:a.1x", "G:d:q.0", "G:d:a.9999999", "G:d:"):
            shown = await chat.forge(COORD, forged)
            assert any("Šo pogu nevarēju atpazīt" in s for s in shown), forged
        await chat.say(COORD, "/dashboard")
        shown = await chat.press(COORD, "Nokavētas pārskatīšanas")
        assert "Nr." not in shown[0]  # names are on the buttons, which open the plans
        assert [x for x in chat.labels(COORD) if x.startswith("Nr.")] == [
            f"Nr. {ids['late_early']}: Kārlis, 6.b — pārskatīšana 2026. gada 8. nov.",
            f"Nr. {ids['late_recent']}: Līva, 6.b — pārskatīšana 2026. gada 22. nov.",
        ]
        shown = await chat.press(COORD, "Kārlis")
        assert any(f"Atbalsta plāns Nr. {ids['late_early']}" in s for s in shown)
        await chat.say(COORD, "/dashboard")
        shown = await chat.press(COORD, "Nesasniedzami cilvēki")
        assert "U82 — klases audzinātājs (plāna sagatavotājs) (Valmieras pamatskola)" in "\n".join(
            shown
        )
        await chat.close()

    asyncio.run(go())


def test_another_schools_plans_never_appear(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        ids = await school_with_plans(chat)
        await chat.say(COORD, "/dashboard")
        for button in ("Gaida apstiprinājumu", "Nokavētas pārskatīšanas"):
            await chat.say(COORD, "/dashboard")
            await chat.press(COORD, button)
            await chat.forge(COORD, "G:d:a.1")
        assert not any(SECRET_PUPIL in text for text in chat.log[COORD])
        assert not any(SECRET_PUPIL in label for label in chat.labels(COORD))
        # Opening the other school's plan by forging its id is refused.
        shown = await chat.forge(COORD, f"G:o:{ids['other']}")
        assert any("nav pieejams" in s for s in shown) and SECRET_PUPIL not in "".join(shown)
        # The other school's coordinator sees only their own plan.
        shown = "\n".join(await chat.say(OTHER_COORD, "/dashboard"))
        assert "saskaņošanā: 1" in shown and "Apstiprinājumu gaida 1 plāns." in shown
        await chat.press(OTHER_COORD, "Gaida apstiprinājumu")
        assert [x for x in chat.labels(OTHER_COORD) if x.startswith("Nr.")] == [
            f"Nr. {ids['other']}: {SECRET_PUPIL}, 6.b"
        ]
        await chat.close()

    asyncio.run(go())


def test_municipal_coordinator_sees_figures_without_names(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        await school_with_plans(chat)
        shown = "\n".join(await chat.say(MUNICIPAL, "/dashboard"))
        assert "saskaņošanā: 10" in shown
        assert chat.labels(MUNICIPAL) == ["📄 Atskaite pašvaldībai (XLSX)", "📄 CSV"]
        shown = "\n".join(await chat.forge(MUNICIPAL, "G:d:a.0"))
        assert "Gaidītājs" not in shown and "pieejami tikai skolas koordinatoram" in shown
        await chat.close()

    asyncio.run(go())


def test_chart_is_labelled_in_the_viewers_language() -> None:
    from bot.app.dashboard.chart import chart_for
    from bot.domain.figures import Summary
    from bot.knowledge import KnowledgeBase

    catalogue = KnowledgeBase.load().catalogue
    summary = Summary({"approval": 3}, 3, {"economic": 2}, {}, 0, 3)
    weeks = [(dt.date(2026, 11, 30), 1)]
    chart = chart_for(summary, weeks, "Skola", catalogue, "ru")
    assert chart.by_status.title == "Планы по статусам (этот семестр)"
    assert "на согласовании" in chart.by_status.labels
    assert (
        dict(zip(chart.by_risk_group.labels, chart.by_risk_group.values, strict=True))[
            "Экономические риски"
        ]
        == 2
    )
    assert chart.overdue_weeks.labels == ("30.11",)
