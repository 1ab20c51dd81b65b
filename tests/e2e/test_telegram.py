"""The real bot process against the fake Bot API server: what a Telegram user sees."""

from __future__ import annotations

from pathlib import Path

from bot.storage.models import SchoolQuestion, User
from tests.e2e.harness import button, running_bot, table_rows, texts, wait_text
from tests.fake_telegram import Fault


def test_walk_ask_school_in_russian(db_url: str, tmp_path: Path) -> None:
    with running_bot(db_url, tmp_path) as (tg, bot):
        tg.send_text(42, "/start", language_code="ru", first_name="Ольга")
        welcome = wait_text(tg, 42, "Здравствуйте!")
        tg.press_button(42, welcome, button(welcome, "Русский"))
        menu = wait_text(tg, 42, "Главное меню")
        tg.press_button(42, menu, button(menu, "Задать вопрос школе"))
        wait_text(tg, 42, "Шаг 1 из 3")
        tg.send_text(42, "Рижская 40-я средняя школа", language_code="ru")
        wait_text(tg, 42, "Шаг 2 из 3")
        tg.send_text(42, "Как получить компенсацию проезда <для> ребёнка & сестры?")
        confirm = wait_text(tg, 42, "Отправить его в школу?")
        assert "<для>" in confirm["text"]  # shown as typed: escaped, not parsed as HTML
        tg.press_button(42, confirm, button(confirm, "Да"))
        wait_text(tg, 42, "Спасибо! Вопрос сохранён")
        commands = {c.params.get("language_code") for c in tg.calls("setMyCommands")}
        assert {"lv", "ru"} <= commands
        answered = [c for c in tg.calls("answerCallbackQuery") if c.ok]
        assert len(answered) == 3  # every button press was answered
        assert "Ольга" not in bot.log and "компенсацию" not in bot.log  # no personal data
    rows = table_rows(db_url, SchoolQuestion)
    assert [(r.school_hint, r.language) for r in rows] == [("Рижская 40-я средняя школа", "ru")]
    assert rows[0].text.startswith("Как получить компенсацию проезда <для>")


def test_unexpected_updates_are_answered_politely(db_url: str, tmp_path: Path) -> None:
    with running_bot(db_url, tmp_path) as (tg, _bot):
        tg.send_text(7, "/start")
        wait_text(tg, 7, "Sveiki!")
        for send in (tg.send_sticker, tg.send_photo, tg.send_voice, tg.send_document):
            send(7)
        tg.wait_for_messages(7, 5, timeout=20)
        assert sum("tikai teksta ziņas" in t for t in texts(tg, 7)) == 4
        tg.send_text(7, "x" * 10_000)
        wait_text(tg, 7, "Ziņa ir par garu")
        tg.send_text(7, "\u200b\u202e😀 سلام \u2066")
        tg.wait_for_messages(7, 7, timeout=20)
        tg.edit_text(7, 1, "labots")
        wait_text(tg, 7, "ne labojumus")
        tg.group_text(8, -100, "/start")
        wait_text(tg, -100, "tikai privātā sarunā")
        tg.channel_post(-200, "hello channel")
        tg.send_text(7, "/menu")
        tg.wait_for(lambda: texts(tg, 7)[-1].startswith("Galvenā izvēlne"), timeout=20)
        assert not tg.sent_messages(-200)  # nothing is posted into a channel


def test_stale_button_and_burst_presses_apply_once(db_url: str, tmp_path: Path) -> None:
    with running_bot(db_url, tmp_path) as (tg, _bot):
        tg.send_text(9, "/start")
        welcome = wait_text(tg, 9, "Sveiki!")
        tg.press_button(9, welcome, button(welcome, "Latviešu"))
        menu = wait_text(tg, 9, "Galvenā izvēlne")
        tg.press_button(9, menu, button(menu, "jautājumu skolai"))
        wait_text(tg, 9, "Solis 1 no 3")
        tg.send_text(9, "Ogres 1. vidusskola")
        tg.send_text(9, "Vai skolā ir pieejams psihologs?")
        confirm = wait_text(tg, 9, "Nosūtīt to skolai?")
        yes = button(confirm, "Jā")
        for _ in range(5):
            tg.press_button(9, confirm, yes, strict=False)
        wait_text(tg, 9, "Paldies!")
        tg.wait_for(lambda: len(tg.calls("answerCallbackQuery")) >= 7, timeout=20)
        tg.wait_for(lambda: sum("vairs nav aktuāla" in t for t in texts(tg, 9)) >= 4, timeout=20)
        tg.press_button(9, welcome, button(welcome, "Русский"), strict=False)
        tg.wait_for(lambda: sum("vairs nav aktuāla" in t for t in texts(tg, 9)) >= 5, timeout=20)
        assert sum("Paldies!" in t for t in texts(tg, 9)) == 1
    assert len(table_rows(db_url, SchoolQuestion)) == 1


def test_telegram_faults_do_not_lose_replies(db_url: str, tmp_path: Path) -> None:
    with running_bot(db_url, tmp_path) as (tg, _bot):
        tg.inject("sendMessage", Fault.retry_after(1), Fault.server_error(502), Fault.drop())
        tg.send_text(11, "/start")
        wait_text(tg, 11, "Sveiki!", timeout=30)
        assert len([c for c in tg.calls("sendMessage") if c.ok]) == 1
        tg.block_user(12)
        tg.send_text(12, "/start")
        tg.wait_for(lambda: any(c.status == 403 for c in tg.calls("sendMessage")), timeout=20)
        tg.send_text(11, "/menu")
        wait_text(tg, 11, "Galvenā izvēlne")
    users = {u.telegram_id: u.reachable for u in table_rows(db_url, User)}
    assert users == {11: True, 12: False}
