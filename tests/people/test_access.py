"""People and access: invitations, roles, pupils, parents, refusals, data rights, encryption."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path

from sqlalchemy import select, text, update

from bot.domain.access import Actor, PupilRef, can_see_pupil
from bot.domain.roles import Role
from bot.storage.models import (
    AuditEntry,
    Invitation,
    Membership,
    ParentLink,
    Pupil,
    SchoolQuestion,
    User,
)
from bot.storage.repos import invitations, schools
from tests.people.harness import Chat, rows

ADMIN, COORD, TEACHER, PARENT, OTHER_PARENT, STRANGER = 1, 2, 3, 4, 5, 6


async def _invite(chat: Chat, role: str, school: str, pupil: int | None = None) -> str:
    def unit(s: object) -> str:
        sch, _ = schools.find_or_create_school(s, school)  # type: ignore[arg-type]
        return invitations.create(s, role, sch.id, pupil, None, dt.timedelta(days=7))  # type: ignore[arg-type]

    return await chat.db.run(unit)


async def _school_with_people(chat: Chat) -> None:
    """Coordinator via an admin-made invitation; a teacher, a pupil and a parent via chat."""
    token = await _invite(chat, "coordinator", "Valmieras pamatskola")
    await chat.say(COORD, f"/start {token}")
    await chat.say(COORD, "/menu")
    await chat.press(COORD, "Uzaicināt kolēģi")
    await chat.press(COORD, "klases audzinātājs")
    await chat.say(TEACHER, f"/start {chat.token(COORD)}")
    await chat.say(TEACHER, "/menu")
    await chat.press(TEACHER, "Skolēni")
    await chat.press(TEACHER, "Pievienot skolēnu")
    await chat.say(TEACHER, "Marta")
    await chat.say(TEACHER, "7.b")
    await chat.press(TEACHER, "Marta, 7.b")
    await chat.press(TEACHER, "Uzaicināt vecāku")
    await chat.say(PARENT, f"/start {chat.token(TEACHER)}")


def test_invitation_chain_gives_each_person_exactly_their_menu(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        await _school_with_people(chat)
        menus = {}
        for user in (COORD, TEACHER, PARENT, STRANGER):
            await chat.say(user, "/menu")
            menus[user] = chat.labels(user)
        assert "👥 Darbinieki" in menus[COORD] and "➕ Uzaicināt kolēģi" in menus[COORD]
        assert "🧑‍🎓 Skolēni" in menus[TEACHER] and "👥 Darbinieki" not in menus[TEACHER]
        assert "🧒 Mans bērns" in menus[PARENT] and "🧑‍🎓 Skolēni" not in menus[PARENT]
        assert menus[STRANGER] == [
            "❓ Uzdot jautājumu",
            "📚 Tēmas",
            "🙋 Lūgt atbalstu bērnam",
            "✉️ Uzdot jautājumu skolai",
            "🌐 Valoda / Язык",
        ]
        await chat.press(PARENT, "Mans bērns")
        assert any("• Marta, 7.b" in t for t in chat.log[PARENT])
        await chat.close()

    asyncio.run(go())


def test_help_lists_only_commands_a_person_can_type(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        await _school_with_people(chat)
        for user in (COORD, TEACHER, PARENT, STRANGER):
            shown = "\n".join(await chat.say(user, "/help"))
            assert "/menu — Galvenā izvēlne" in shown and "/start_token" not in shown
            assert ("/dashboard — Skolas pārskats" in shown) == (user == COORD)
        # The invitation is redeemed through /start only; the old internal name is unknown.
        answer = "\n".join(await chat.say(STRANGER, "/start_token abc"))
        assert "Komandu /start_token nepazīstu." in answer
        await chat.close()

    asyncio.run(go())


def test_token_works_once_then_says_used_and_expired_tokens_fail(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        token = await _invite(chat, "teacher", "Talsu vidusskola")
        assert any("Laipni lūdzam" in t for t in await chat.say(10, f"/start {token}"))
        assert any("jau ir izmantots" in t for t in await chat.say(11, f"/start {token}"))
        old = await _invite(chat, "teacher", "Talsu vidusskola")
        await chat.db.run(
            lambda s: s.execute(
                update(Invitation)
                .values(expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
                .where(Invitation.used_at.is_(None))
            )
        )
        assert any("termiņš ir beidzies" in t for t in await chat.say(12, f"/start {old}"))
        assert any("neatradu" in t for t in await chat.say(12, "/start nonsense-token"))
        members = await rows(chat.db, select(Membership.user_id))
        assert len(members) == 1
        await chat.close()

    asyncio.run(go())


def test_guessing_is_slowed_down(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        token = await _invite(chat, "teacher", "Talsu vidusskola")
        for i in range(5):
            await chat.say(20, f"/start wrong{i}")
        shown = await chat.say(20, f"/start {token}")
        assert any("Pārāk daudz neveiksmīgu" in t for t in shown)
        assert await rows(chat.db, select(Membership.id)) == []
        await chat.close()

    asyncio.run(go())


def test_one_token_redeemed_twenty_times_at_once_succeeds_once(db_url: str) -> None:
    async def go() -> None:
        chats = [Chat.open(db_url) for _ in range(4)]  # several connections, like processes
        token = await _invite(chats[0], "specialist", "Ogres tehnikums")
        await asyncio.gather(*(chats[i % 4].say(100 + i, f"/start {token}") for i in range(20)))
        granted = await rows(chats[0].db, select(Membership.user_id))
        assert len(granted) == 1
        for chat in chats:
            await chat.close()

    asyncio.run(go())


def test_parent_cannot_reach_another_child_by_any_path(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        await _school_with_people(chat)
        other = await chat.db.run(lambda s: schools.add_pupil(s, 1, "Oskars", "5.a", 0).id)
        token = await _invite(chat, "parent", "Valmieras pamatskola", pupil=other)
        await chat.say(OTHER_PARENT, f"/start {token}")
        await chat.say(PARENT, "/menu")
        assert "🧑‍🎓 Skolēni" not in chat.labels(PARENT)
        await chat.press(PARENT, "Mans bērns")
        assert not any("Oskars" in t for t in chat.log[PARENT])
        # Forged button data: the pupils dialog's option for another child, and junk.
        for payload in (f"1:op{other}", "G:a:../../etc", "zz:zz", "1:opupils", "G:t:nope.9", "g:d"):
            shown = await chat.forge(PARENT, payload)
            assert not any("Oskars" in t for t in shown)
        kids = await rows(
            chat.db, select(ParentLink.pupil_id).join(User).where(User.telegram_id == PARENT)
        )
        assert [k[0] for k in kids] == [1]
        denied = await rows(
            chat.db, select(AuditEntry.id).where(AuditEntry.action == "access.denied")
        )
        assert denied, "forged presses are written to the audit log"
        assert not can_see_pupil(Actor(99, children=frozenset({1})), PupilRef(other, 1))
        await chat.close()

    asyncio.run(go())


def test_teacher_of_another_school_is_refused_and_audited(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        await _school_with_people(chat)
        token = await _invite(chat, "teacher", "Cita skola")
        await chat.say(30, f"/start {token}")
        await chat.say(30, "/menu")
        await chat.press(30, "Skolēni")
        assert not any("Marta" in label for label in chat.labels(30))
        shown = await chat.forge(30, f"{_serial(chat, 30)}:op1")
        assert any("vairs nav aktuāla" in t for t in shown)
        audit = await rows(
            chat.db, select(AuditEntry.details).where(AuditEntry.action == "access.denied")
        )
        assert any(d[0].get("data") == "op1" for d in audit)
        await chat.close()

    asyncio.run(go())


def _serial(chat: Chat, user: int) -> str:
    return chat.latest[user].buttons[0][0].data.split(":")[0]


def test_coordinator_erases_a_pupil_with_confirmation(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        await _school_with_people(chat)
        await chat.say(COORD, "/menu")
        await chat.press(COORD, "Skolēni")
        await chat.press(COORD, "Marta, 7.b")
        await chat.press(COORD, "Dzēst skolēnu")
        await chat.press(COORD, "Nē")
        assert len(await rows(chat.db, select(Pupil.id))) == 1
        await chat.press(COORD, "Dzēst skolēnu")
        await chat.press(COORD, "Jā")
        assert await rows(chat.db, select(Pupil.id)) == []
        assert await rows(chat.db, select(ParentLink.id)) == []
        await chat.close()

    asyncio.run(go())


def test_forget_removes_what_it_says_and_nothing_more(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        await _school_with_people(chat)
        await chat.say(PARENT, "/menu")
        await chat.press(PARENT, "Uzdot jautājumu skolai")
        await chat.say(PARENT, "Vai Martai var piešķirt psihologa konsultācijas?")
        await chat.press(PARENT, "Jā")
        await chat.say(PARENT, "/forget")
        await chat.press(PARENT, "Jā")
        assert any("Jūsu dati ir dzēsti" in t for t in chat.log[PARENT])
        users = {r[0]: r[1] for r in await rows(chat.db, select(User.telegram_id, User.name))}
        assert PARENT not in users  # the Telegram id is gone
        assert users[TEACHER] == f"U{TEACHER}" and users[COORD] == f"U{COORD}"
        assert await rows(chat.db, select(ParentLink.id)) == []
        assert await rows(chat.db, select(SchoolQuestion.id)) == []
        assert len(await rows(chat.db, select(Pupil.id))) == 1  # the child stays with the school
        teacher_roles = await rows(
            chat.db, select(Membership.active).join(User).where(User.telegram_id == TEACHER)
        )
        assert teacher_roles == [(True,)]
        shown = await chat.say(PARENT, "/menu")  # a new, unknown person now
        assert "🧒 Mans bērns" not in chat.labels(PARENT) and shown
        await chat.close()

    asyncio.run(go())


def test_mydata_sends_own_data_only(db_url: str, tmp_path: Path) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        await _school_with_people(chat)
        chat._turns.clear()
        await chat.say(PARENT, "/mydata")
        data = None
        for turn in chat._turns:
            for reply in turn.replies:
                if reply.document:
                    data = json.loads(Path(reply.document).read_bytes())  # noqa: ASYNC240
                    assert reply.protect
        assert data is not None
        assert data["user"]["telegram_id"] == PARENT
        assert data["children"] == [{"name": "Marta", "class": "7.b"}]
        assert [r["role"] for r in data["roles"]] == ["parent"]
        assert "U3" not in json.dumps(data)  # nobody else's data
        await chat.close()

    asyncio.run(go())


def test_sensitive_text_is_unreadable_in_the_raw_database(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        secret = "Marta bieži slimo, ģimenē ir grūtības"
        await chat.say(40, "/menu")
        await chat.press(40, "Uzdot jautājumu skolai")
        await chat.say(40, "Valmieras pamatskola")
        await chat.say(40, secret)
        await chat.press(40, "Jā")
        raw = await rows(chat.db, text("SELECT text FROM school_questions"))
        assert raw and raw[0][0].startswith("enc1:")
        assert "slimo" not in raw[0][0] and "Marta" not in raw[0][0]
        stored = await rows(chat.db, select(SchoolQuestion.text))
        assert stored == [(secret,)]
        await chat.close()

    asyncio.run(go())


def test_role_enum_covers_design_roles() -> None:
    assert {r.value for r in Role} >= {
        "admin",
        "municipal_coordinator",
        "coordinator",
        "head",
        "teacher",
        "specialist",
        "parent",
        "guest",
    }


def test_staff_see_missed_questions_in_chat_and_guests_do_not(db_url: str) -> None:
    async def go() -> None:
        chat = Chat.open(db_url)
        await _school_with_people(chat)
        await chat.say(STRANGER, "kā uzcept ābolkūku")
        await chat.say(STRANGER, "ka uzcept abolkuku ar kaneli")
        await chat.say(COORD, "/menu")
        shown = await chat.press(COORD, "Neatbildētie jautājumi")
        assert any("2 × [lv]" in s and "uzcept" in s for s in shown)
        refused = await chat.say(STRANGER, "/misses")
        assert any("nav pieejama" in s for s in refused)
        await chat.close()

    asyncio.run(go())
