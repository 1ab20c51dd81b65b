"""The plan cycle in chat: wizard → submit → approve → deliver → close, with the rules enforced."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.models import Delivery, Membership, Plan, PlanEvent, Pupil
from bot.storage.repos import people, plans
from tests.people.harness import Chat, rows
from tests.people.test_access import _invite

TEACHER, HEAD, PARENT = 71, 72, 73
NOW = dt.datetime(2026, 10, 5, 9, 0, tzinfo=dt.UTC)


async def _school(chat: Chat) -> None:
    chat.processor.clock = lambda: NOW
    await chat.say(TEACHER, f"/start {await _invite(chat, 'teacher', 'Tukuma 2. vidusskola')}")
    await chat.say(HEAD, f"/start {await _invite(chat, 'head', 'Tukuma 2. vidusskola')}")
    await _add_pupil(chat, "Lauma", "6.b")


async def _add_pupil(chat: Chat, name: str, pupil_class: str) -> None:
    await chat.say(TEACHER, "/menu")
    await chat.press(TEACHER, "Skolēni")
    await chat.press(TEACHER, "Pievienot skolēnu")
    await chat.say(TEACHER, name)
    await chat.say(TEACHER, pupil_class)


async def _draft(chat: Chat) -> None:
    """A new plan for Lauma this semester, the parent to confirm the application in chat."""
    await chat.say(TEACHER, "/newplan")
    await chat.press(TEACHER, "Lauma, 6.b")
    await chat.press(TEACHER, "2026/27-1")
    await chat.press(TEACHER, "Vecāks apstiprinās")


async def _wizard(chat: Chat, pupil: str = "Lauma, 6.b") -> None:
    t = TEACHER
    await chat.say(t, "/newplan")
    await chat.press(t, pupil)
    await chat.press(t, "2026/27-1")
    await chat.press(t, "Iesniegums saņemts")
    await chat.say(t, "1.10.2026")
    await chat.press(t, "Mācību darba")
    learning = chat.labels(t)
    await chat.press(t, learning[0])  # the first learning risk
    await chat.press(t, "Gatavs")
    await chat.press(t, "Ekonomiskie")
    await chat.press(t, chat.labels(t)[0])
    await chat.press(t, "Gatavs")
    await chat.press(t, "Riski izvēlēti")
    await chat.say(t, "Septembrī trīs no četriem kontroldarbiem nav nokārtoti.")
    await chat.say(t, "Ģimene nevar atļauties sabiedriskā transporta biļetes.")
    await chat.press(t, chat.labels(t)[2])  # the first goal template of risk 1
    await chat.say(t, "3 nesekmīgi darbi")
    await chat.say(t, "0 nesekmīgu darbu")
    await chat.say(t, "15.12.2026")
    await chat.press(t, "Bez mērķa")
    await chat.press(t, chat.labels(t)[0])
    await chat.press(t, chat.labels(t)[1])
    await chat.press(t, "Gatavs")
    await chat.press(t, "Atstāt tā")
    await chat.press(t, "Mainīt atbildīgo")
    await chat.say(t, "sociālais pedagogs Anna")
    await chat.say(t, "reizi mēnesī")
    await chat.say(t, "Apmeklēt konsultācijas katru otrdienu.")
    await chat.say(t, "Pārbaudīt e-klasi reizi nedēļā.")
    await chat.say(t, "6.11.2026")


def test_full_cycle_from_empty_plan_to_closed(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        await _school(chat)
        await _wizard(chat)
        shown = "\n".join(chat.log[TEACHER][-3:])
        assert "Atbalsta plāns Nr. 1" in shown and "Solis" not in chat.log[TEACHER][-1]
        assert "Septembrī trīs no četriem" in shown
        await chat.press(TEACHER, "Iesniegt saskaņošanai")
        assert any("iesniegts saskaņošanai" in t for t in chat.log[TEACHER][-3:])
        status = await rows(chat.db, select(Plan.status))
        assert status == [("approval",)]
        await chat.say(HEAD, "/plans")
        await chat.press(HEAD, "Nr. 1: Lauma, 6.b")
        await chat.press(HEAD, "Apstiprināt")
        assert (await rows(chat.db, select(Plan.status))) == [("approved",)]
        await chat.press(HEAD, "Vēsture")
        log = next(t for t in reversed(chat.log[HEAD]) if "Darbību žurnāls" in t)
        # In words and in Riga time, never raw codes: who opened and who approved the plan.
        assert "atvēra plānu" in log and "apstiprināja plānu" in log
        assert "saskaņošanā → apstiprināts" in log and "plan." not in log
        await chat.say(TEACHER, "/plans")
        await chat.press(TEACHER, "Nr. 1")
        await chat.press(TEACHER, "Reģistrēt pasākumu")
        await chat.press(TEACHER, chat.labels(TEACHER)[0])
        await chat.say(TEACHER, "2.10.2026")
        await chat.say(TEACHER, "1,5")
        await chat.say(TEACHER, "sociālais pedagogs Anna")
        shown = await chat.press(TEACHER, "Jā")
        deliveries = await rows(chat.db, select(Delivery.amount, Delivery.confirmed))
        assert deliveries == [(1.5, True)]
        assert (await rows(chat.db, select(Plan.status))) == [("in_progress",)]
        # Back at the plan's card, with the next delivery one tap away.
        assert any("Pasākums reģistrēts" in s for s in shown) and "Reģistrēt pasākumu" in str(
            chat.labels(TEACHER)
        )
        await chat.press(TEACHER, "Noslēgt plānu")
        await chat.press(TEACHER, "Jā")
        assert (await rows(chat.db, select(Plan.status))) == [("closed",)]
        moves = [r[0] for r in await rows(chat.db, select(PlanEvent.move).order_by(PlanEvent.id))]
        assert moves == ["create", "submit", "approve", "start", "close"]
        await chat.close()

    asyncio.run(go())


def test_rules_block_submission_with_clear_reasons(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        await _school(chat)
        t = TEACHER
        await _draft(chat)
        shown = await chat.press(t, "Riski izvēlēti")  # no risks yet
        assert any("Nav izvēlēts neviens risks" in s for s in shown)
        await chat.press(t, "Mācību darba")
        await chat.press(t, chat.labels(t)[0])
        await chat.press(t, "Gatavs")
        await chat.press(t, "Riski izvēlēti")
        shown = await chat.say(t, "īss")  # a justification needs 10 characters
        assert any("Par īsu" in s for s in shown)
        await chat.say(t, "Trīs nedēļas pēc kārtas nav izpildīti mājasdarbi.")
        await chat.press(t, "Bez mērķa")
        shown = await chat.press(t, "Gatavs")  # no measure chosen
        assert any("vismaz 1 iespēju" in s for s in shown)
        await chat.close()

    asyncio.run(go())


def test_change_against_an_old_version_is_refused(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        await _school(chat)
        await _wizard(chat)
        # Someone else changes the plan while the teacher looks at the summary.
        await chat.db.run(
            lambda s: setattr(s.get(Plan, 1), "content", {**s.get(Plan, 1).content, "x": 1})
        )
        shown = await chat.press(TEACHER, "Iesniegt saskaņošanai")
        assert any("Plāns pa to laiku ir mainīts" in s for s in shown)
        assert (await rows(chat.db, select(Plan.status))) == [("draft",)]
        await chat.close()

    asyncio.run(go())


def _documents(chat: Chat) -> list[str]:
    return [r.document for turn in chat._turns for r in turn.replies if r.document]


def test_export_pdf_and_docx_in_both_languages(db_url: str) -> None:
    from docx import Document as Docx
    from pypdf import PdfReader

    async def go() -> None:
        chat = Chat.open(db_url)
        await _school(chat)
        await _wizard(chat)
        await chat.press(TEACHER, "Saglabāt projektu")
        await chat.say(TEACHER, "/plans")
        await chat.press(TEACHER, "Nr. 1")
        await chat.press(TEACHER, "PDF")
        (pdf,) = _documents(chat)
        assert Path(pdf).name.startswith("plan-1-v") and "Lauma" not in pdf  # named by plan id
        text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
        for expected in (
            "Individuālais atbalsta plāns Nr. 1",
            "Lauma, 6.b",
            "Septembrī trīs",
            "Statusu vēsture",
            "projekts",
        ):
            assert expected in text, expected
        await chat.press(TEACHER, "DOCX")
        (docx,) = _documents(chat)
        body = "\n".join(p.text for p in Docx(docx).paragraphs)
        cells = "\n".join(c.text for t in Docx(docx).tables for row in t.rows for c in row.cells)
        assert "Individuālais atbalsta plāns Nr. 1" in body and "Ģimene nevar atļauties" in cells
        await chat.say(TEACHER, "/language")
        await chat.press(TEACHER, "Русский")
        await chat.say(TEACHER, "/plans")
        await chat.press(TEACHER, "№ 1")
        await chat.press(TEACHER, "PDF")
        (pdf_ru,) = _documents(chat)
        text_ru = "\n".join(page.extract_text() for page in PdfReader(pdf_ru).pages)
        assert "Индивидуальный план поддержки № 1" in text_ru and "Обоснование" in text_ru
        await chat.close()

    asyncio.run(go())


async def _approved(chat: Chat) -> None:
    await _school(chat)
    await _wizard(chat)
    await chat.press(TEACHER, "Iesniegt saskaņošanai")
    await chat.say(HEAD, "/plans")
    await chat.press(HEAD, "Nr. 1")
    await chat.press(HEAD, "Apstiprināt")


async def _started(chat: Chat) -> None:
    """An approved plan the teacher has started to run."""
    await _approved(chat)
    await chat.say(TEACHER, "/plans")
    await chat.press(TEACHER, "Nr. 1")
    await chat.press(TEACHER, "Sākt īstenošanu")


def test_review_suspend_resume_evaluate_and_carry_on(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        await _started(chat)
        t = TEACHER
        await chat.press(t, "Pārskatīt / apturēt")
        await chat.press(t, "Pārskatīšanas piezīme")
        await chat.say(t, "Konsultācijas notiek, atzīmes uzlabojas lēni.")
        await chat.say(t, "/plans")
        await chat.press(t, "Nr. 1")
        await chat.press(t, "Pārskatīt / apturēt")
        await chat.press(t, "Piezīme par mērķa progresu")
        await chat.press(t, chat.labels(t)[0])
        await chat.say(t, "Oktobrī 1 nesekmīgs darbs (bija 3).")
        await chat.say(t, "/plans")
        await chat.press(t, "Nr. 1")
        await chat.press(t, "Pārskatīt / apturēt")
        await chat.press(t, "Apturēt")
        await chat.say(t, "Ilgstoša slimība")
        assert (await rows(chat.db, select(Plan.status))) == [("suspended",)]
        # Back at the plan's card, so resuming it is the next tap, not a search from the menu.
        await chat.press(t, "Pārskatīt / apturēt")
        await chat.press(t, "Atsākt")
        assert (await rows(chat.db, select(Plan.status))) == [("in_progress",)]
        await chat.say(t, "/plans")
        await chat.press(t, "Nr. 1")
        await chat.press(t, "Izvērtēt")
        await chat.press(t, "Daļēji")
        await chat.say(t, "Divi darbi vēl nav nokārtoti.")
        await chat.press(t, "Jā")
        await chat.press(t, "Nē")
        await chat.say(t, "Skolēns apmeklē skolu regulārāk un lūdz palīdzību pats.")
        await chat.press(t, "Jauns plāns nākamajam semestrim")
        found = await rows(chat.db, select(Plan.id, Plan.status, Plan.semester).order_by(Plan.id))
        assert found == [(1, "closed", "2026/27-1"), (2, "draft", "2027/28-1")] or found == [
            (1, "closed", "2026/27-1"),
            (2, "draft", "2026/27-2"),
        ]
        content = await chat.db.run(lambda s: s.get(Plan, 1).content)
        assert content["goals"][0]["result"] == "partly"
        assert [m.get("as_planned") for m in content["measures"]] == [True, False]
        assert content["evaluation"]["changes"].startswith("Skolēns apmeklē")
        assert len(content["reviews"]) == 1
        assert content["goals"][0]["notes"][0]["note"].startswith("Oktobrī 1 nesekmīgs")
        new = await chat.db.run(lambda s: s.get(Plan, 2).content)
        assert [r["code"] for r in new["risks"]] == [r["code"] for r in content["risks"]]
        await chat.close()

    asyncio.run(go())


def test_an_evaluation_step_against_an_old_version_is_refused(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        await _started(chat)
        t = TEACHER
        await chat.say(t, "/plans")
        await chat.press(t, "Nr. 1")
        await chat.press(t, "Izvērtēt")
        await chat.press(t, "Daļēji")

        def meanwhile(s: Session) -> None:  # a colleague rates the same goal first
            plan = s.get(Plan, 1)
            assert plan is not None

            def rate(content: dict[str, object]) -> None:
                content["goals"][0]["result"] = "achieved"  # type: ignore[index]

            plans.change(s, 1, plan.version, rate)

        await chat.db.run(meanwhile)
        shown = await chat.say(t, "Divi darbi vēl nav nokārtoti.")
        assert any("Kamēr izvērtējāt, plānu mainīja" in m for m in shown)
        content = await chat.db.run(lambda s: s.get(Plan, 1).content)
        assert content["goals"][0]["result"] == "achieved"  # the colleague's rating stands
        assert "comment" not in content["goals"][0]
        # Started again, the evaluation works against the current version.
        await chat.say(t, "/plans")
        await chat.press(t, "Nr. 1")
        await chat.press(t, "Izvērtēt")
        await chat.press(t, "Daļēji")
        await chat.say(t, "Divi darbi vēl nav nokārtoti.")
        content = await chat.db.run(lambda s: s.get(Plan, 1).content)
        assert content["goals"][0]["result"] == "partly"
        await chat.close()

    asyncio.run(go())


def test_staff_add_a_measure_from_an_answer_in_one_tap(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        await _school(chat)
        t = TEACHER
        await _draft(chat)
        await chat.say(t, "/menu")
        await chat.say(t, "ēdināšanas kompensācija")
        if "➕ Pievienot plānam" not in chat.labels(t):  # "did you mean": open the first article
            await chat.press(t, "Materiālais atbalsts")
        assert "➕ Pievienot plānam" in chat.labels(t)
        await chat.press(t, "Pievienot plānam")
        await chat.press(t, "1: Lauma, 6.b")
        assert any("Pievienots plānam (Lauma, 6.b)" in s for s in chat.log[t][-2:])
        content = await chat.db.run(lambda s: s.get(Plan, 1).content)
        assert "meal-compensation" in {m["code"] for m in content["measures"]}
        # A parent sees no such button and cannot forge the press.
        await chat.say(PARENT, "ēdināšanas kompensācija")
        assert "➕ Pievienot plānam" not in chat.labels(PARENT)
        shown = await chat.forge(PARENT, "G:Q:measure-material.1")
        assert any("nav pieejams" in s for s in shown)
        await chat.close()

    asyncio.run(go())


def test_municipal_step_in_the_approval_chain(db_url: str) -> None:
    from bot.storage.models import School

    async def go() -> None:
        chat = Chat.open(db_url)
        await _school(chat)
        await chat.say(
            99, f"/start {await _invite(chat, 'municipal_coordinator', 'Tukuma 2. vidusskola')}"
        )
        await chat.db.run(
            lambda s: setattr(
                s.execute(select(School)).scalar_one(),
                "settings",
                {"approval_chain": ["school", "municipality"]},
            )
        )
        await _wizard(chat)
        await chat.press(TEACHER, "Iesniegt saskaņošanai")
        await chat.say(99, "/plans")
        await chat.press(99, "Nr. 1")
        assert "✅ Apstiprināt" not in chat.labels(99)  # not the municipality's turn yet
        chat._turns.clear()
        await chat.say(HEAD, "/plans")
        await chat.press(HEAD, "Nr. 1")
        await chat.press(HEAD, "Apstiprināt")
        notified = [r for t in chat._turns for r in t.replies if r.chat_id == 99]
        assert notified, "the municipal coordinator is told"
        assert (await rows(chat.db, select(Plan.status))) == [("approval",)]
        await chat.say(99, "/plans")
        await chat.press(99, "Nr. 1")
        await chat.press(99, "Apstiprināt")
        assert (await rows(chat.db, select(Plan.status))) == [("approved",)]
        await chat.close()

    asyncio.run(go())


def test_staff_leave_hands_plans_to_a_colleague(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        await _school(chat)
        await _wizard(chat)
        await chat.press(TEACHER, "Saglabāt projektu")
        coord, colleague = 75, 76
        await chat.say(
            coord, f"/start {await _invite(chat, 'coordinator', 'Tukuma 2. vidusskola')}"
        )
        await chat.say(
            colleague, f"/start {await _invite(chat, 'teacher', 'Tukuma 2. vidusskola')}"
        )
        await chat.say(coord, "/menu")
        await chat.press(coord, "Darbinieki")
        await chat.press(coord, f"U{TEACHER}")
        await chat.press(coord, "Nodot plānus kolēģim")
        await chat.press(coord, f"U{colleague}")
        assert any("Nodots 1 plāns." in t for t in chat.log[coord])
        await chat.press(coord, "Atslēgt")
        await chat.press(coord, "Jā")
        await chat.say(colleague, "/plans")
        await chat.press(colleague, "Nr. 1")
        assert "✏️ Turpināt / labot" in chat.labels(colleague)
        await chat.say(TEACHER, "/menu")
        assert "📋 Atbalsta plāni" not in chat.labels(TEACHER)
        await chat.close()

    asyncio.run(go())


def test_author_without_a_role_still_lists_own_plan(db_url: str) -> None:
    """A teacher who left the school keeps the plans they wrote in /plans (the author rule)."""

    async def go() -> None:
        chat = Chat.open(db_url)
        await _school(chat)

        def write_plan_then_leave(s: Session) -> None:
            teacher = people.find_user(s, TEACHER)
            assert teacher is not None
            pupil = s.execute(select(Pupil)).scalar_one()
            plans.create(s, pupil.school_id, pupil.id, teacher.id, "2026/27-1")
            held = s.execute(select(Membership).where(Membership.user_id == teacher.id))
            for membership in held.scalars():
                membership.active = False

        await chat.db.run(write_plan_then_leave)
        await chat.say(TEACHER, "/plans")
        assert any(label.startswith("Nr. 1: Lauma, 6.b") for label in chat.labels(TEACHER))
        await chat.say(PARENT, "/plans")  # someone with no role and no plan of their own
        assert not any(label.startswith("Nr. 1") for label in chat.labels(PARENT))
        await chat.close()

    asyncio.run(go())


def test_a_second_plan_for_the_same_pupil_and_semester_continues_the_first(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        await _school(chat)
        t = TEACHER
        await _draft(chat)
        await chat.say(t, "/cancel")  # a draft left half done
        await chat.say(t, "/newplan")
        await chat.press(t, "Lauma, 6.b")
        shown = await chat.press(t, "2026/27-1")
        assert any("jau ir plāns Nr. 1 (projekts)" in s for s in shown)
        assert any("Pārbaudiet plānu" in s for s in shown)  # at the draft's summary
        assert (await rows(chat.db, select(Plan.id))) == [(1,)]
        await chat.say(t, "/newplan")  # the next semester is a plan of its own
        await chat.press(t, "Lauma, 6.b")
        await chat.press(t, "2026/27-2")
        assert (await rows(chat.db, select(Plan.id, Plan.semester))) == [
            (1, "2026/27-1"),
            (2, "2026/27-2"),
        ]
        await chat.close()

    asyncio.run(go())


def test_carrying_on_into_a_semester_that_already_has_a_plan_is_refused(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        await _started(chat)
        t = TEACHER
        await chat.say(t, "/newplan")  # a plan for the next semester made beforehand
        await chat.press(t, "Lauma, 6.b")
        await chat.press(t, "2026/27-2")
        await chat.say(t, "/plans")
        await chat.press(t, "Nr. 1")
        await chat.press(t, "Izvērtēt")
        await chat.press(t, "Daļēji")
        await chat.say(t, "Divi darbi vēl nav nokārtoti.")
        await chat.press(t, "Jā")
        await chat.press(t, "Nē")
        await chat.say(t, "Skolēns apmeklē skolu regulārāk.")
        shown = await chat.press(t, "Jauns plāns nākamajam semestrim")
        assert any("jau ir plāns Nr. 2 (projekts)" in s for s in shown)
        found = await rows(chat.db, select(Plan.id, Plan.status, Plan.semester).order_by(Plan.id))
        assert found == [(1, "in_progress", "2026/27-1"), (2, "draft", "2026/27-2")]
        await chat.close()

    asyncio.run(go())
