"""The console channel as a subprocess: protocol, both languages, restarts keep the step."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.storage.database import Database
from bot.storage.models import SchoolQuestion, User
from tests.console_run import chat, messages

QUESTION = "Kā pieteikt bērnu atbalsta plānam?"


def test_first_contact_in_latvian_then_walk_ask_school(db_url: str) -> None:
    out = chat(db_url, ["1", "4", "Jelgavas 4. vidusskola", QUESTION, "1"])
    assert out.startswith("Sveiki!")
    assert "Izvēlieties valodu.\nВыберите язык.\n[1] Latviešu\n[2] Русский\n\n" in out
    assert "Solis 1 no 3" in out and "Solis 3 no 3" in out
    assert QUESTION in out  # the confirmation repeats the question
    assert "Paldies! Jautājums saglabāts" in out
    assert messages(out)[-1].startswith("Galvenā izvēlne")

    async def stored() -> list[SchoolQuestion]:
        db = Database(db_url)
        try:
            return await db.run(lambda s: list(s.execute(select(SchoolQuestion)).scalars()))
        finally:
            await db.close()

    rows = asyncio.run(stored())
    assert [(r.school_hint, r.text, r.language) for r in rows] == [
        ("Jelgavas 4. vidusskola", QUESTION, "lv")
    ]


def test_russian_first_contact_and_switching_language(db_url: str) -> None:
    out = chat(db_url, ["2", "5", "1"], "--lang", "ru", "--user", "5")
    assert out.startswith("Здравствуйте!")
    assert "Хорошо, дальше пишу по-русски." in out
    assert "Главное меню" in out
    assert "Labi, turpmāk rakstīšu latviski." in out  # switched back to Latvian via the menu


def test_restart_continues_at_the_same_step_with_answers_kept(db_url: str) -> None:
    chat(db_url, ["2", "4", "Rīgas 40. vidusskola"], "--user", "9")  # Russian, then Ctrl-D
    out = chat(db_url, ["Как записаться на консультацию психолога?", "1"], "--user", "9")
    assert out.startswith("Шаг 2 из 3")  # resumed where it stopped, in the chosen language
    assert "Спасибо! Вопрос сохранён" in out


def test_escaped_number_is_sent_as_text_and_bad_input_is_polite(db_url: str) -> None:
    out = chat(db_url, ["1", "\\1", "/nope", "😀🙂", "/help"], "--user", "11")
    assert "Jautājums ir par īsu" in out  # "\1" was sent as text (a question), not a press
    assert "Komandu /nope nepazīstu." in out
    assert "/language" in out and "/cancel" in out


def test_number_without_buttons_is_text(db_url: str) -> None:
    out = chat(db_url, ["1", "1", "7"], "--user", "12")
    assert "Par īsu" in out  # "7" typed at a text step is an answer, too short


def test_user_name_is_stored_but_no_personal_code_needed(db_url: str) -> None:
    chat(db_url, ["1"], "--user", "13", "--name", "Inese")

    async def names() -> list[str]:
        db = Database(db_url)
        try:
            return await db.run(lambda s: [u.name for u in s.execute(select(User)).scalars()])
        finally:
            await db.close()

    assert asyncio.run(names()) == ["Inese"]
