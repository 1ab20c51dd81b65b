"""A plan over Telegram in Russian: survives a SIGKILL mid-wizard, is approved, PDF arrives."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from tests.e2e.harness import button, cli_invite, running_bot, wait_new, wait_text

TEACHER, HEAD = 901, 902


def _toggled(tg, chat: int, message: dict) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """Wait until the toggle shows on this message (the bot edits it in place)."""

    def current() -> dict:  # type: ignore[type-arg]
        return next(m for m in tg.sent_messages(chat) if m["message_id"] == message["message_id"])

    def ticked() -> bool:
        rows = current().get("reply_markup", {}).get("inline_keyboard", [])
        return any(b["text"].startswith("✅") for row in rows for b in row)

    tg.wait_for(ticked, timeout=20, description="a ticked toggle")
    return current()


def _press(tg, chat: int, text: str, label: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """Press a button on the newest message with `text` that arrived since the last press."""
    message = wait_new(tg, chat, text, _seen.get(chat, 0))
    _seen[chat] = len(tg.sent_messages(chat))
    tg.press_button(chat, message, button(message, label))
    return message


_seen: dict[int, int] = {}


def _mark(tg, chat: int) -> None:  # type: ignore[no-untyped-def]
    """Only messages sent after this point count for the next wait."""
    _seen[chat] = len(tg.sent_messages(chat))


def test_plan_in_russian_survives_sigkill_and_is_approved_and_exported(
    db_url: str, tmp_path: Path
) -> None:
    _seen.clear()  # the test runs once per runtime: counts from the last run do not apply
    teacher_token = cli_invite(db_url, "teacher", "Rēzeknes 5. vsk")
    head_token = cli_invite(db_url, "head", "Rēzeknes 5. vsk")
    with running_bot(db_url, tmp_path) as (tg, bot):
        tg.send_text(HEAD, f"/start {head_token}")
        wait_text(tg, HEAD, "Galvenā izvēlne")
        _mark(tg, TEACHER)
        tg.send_text(TEACHER, f"/start {teacher_token}", language_code="ru")
        _press(tg, TEACHER, "Главное меню", "Ученики")
        _press(tg, TEACHER, "Ученики. Выберите", "Добавить ученика")
        wait_text(tg, TEACHER, "Имя ученика")
        _mark(tg, TEACHER)
        tg.send_text(TEACHER, "Никита", language_code="ru")
        wait_text(tg, TEACHER, "Класс, например")
        _mark(tg, TEACHER)
        tg.send_text(TEACHER, "9", language_code="ru")
        wait_text(tg, TEACHER, "Ученик Никита (9 класс) добавлен.")
        _mark(tg, TEACHER)
        tg.send_text(TEACHER, "/newplan", language_code="ru")
        _press(tg, TEACHER, "Для какого ученика", "Никита, 9")
        _press(tg, TEACHER, "На какое полугодие", "2026/27")
        _press(tg, TEACHER, "Как оно получено", "Родитель подтвердит")
        groups = wait_text(tg, TEACHER, "Риски. Выберите группу")
        bot.kill()  # mid-wizard
        bot.start()
        tg.press_button(
            TEACHER, groups, groups["reply_markup"]["inline_keyboard"][1][0]["callback_data"]
        )
        factors = wait_text(tg, TEACHER, "которые относятся к ученику")
        tg.press_button(
            TEACHER, factors, factors["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        )
        done = _toggled(tg, TEACHER, factors)
        _mark(tg, TEACHER)
        tg.press_button(TEACHER, done, button(done, "Готово"))
        _press(tg, TEACHER, "Риски. Выберите группу", "Риски выбраны")
        wait_new(tg, TEACHER, "Обоснование 1/1", _seen[TEACHER])
        tg.send_text(
            TEACHER, "С сентября пропустил 14 уроков без уважительной причины.", language_code="ru"
        )
        _press(tg, TEACHER, "Цель 1/1", "Без цели")
        measures = wait_text(tg, TEACHER, "Меры поддержки. Предложены")
        first = measures["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        _mark(tg, TEACHER)
        tg.press_button(TEACHER, measures, first)
        picked = _toggled(tg, TEACHER, measures)
        _mark(tg, TEACHER)
        tg.press_button(TEACHER, picked, button(picked, "Готово"))
        _press(tg, TEACHER, "Мера 1/1", "Оставить так")
        wait_text(tg, TEACHER, "Что обязуется сделать сам ученик")
        _mark(tg, TEACHER)
        tg.send_text(TEACHER, "Приходить к первому уроку.", language_code="ru")
        wait_text(tg, TEACHER, "роль родителей")
        _mark(tg, TEACHER)
        tg.send_text(TEACHER, "Будить вовремя и проверять e-klase.", language_code="ru")
        wait_text(tg, TEACHER, "Дата пересмотра плана")
        _mark(tg, TEACHER)
        tg.send_text(TEACHER, "10.12.2026", language_code="ru")
        _press(tg, TEACHER, "Проверьте план", "Отправить на согласование")
        wait_text(tg, TEACHER, "План отправлен на согласование")

        notice = wait_text(tg, HEAD, "gaida jūsu saskaņojumu")
        assert "Никита" not in notice["text"]  # notifications name no pupil
        tg.press_button(HEAD, notice, button(notice, "Atvērt plānu"))
        _press(tg, HEAD, "Ko darīt ar šo plānu?", "Apstiprināt")
        wait_text(tg, TEACHER, "утверждён")

        _mark(tg, TEACHER)
        tg.send_text(TEACHER, "/plans", language_code="ru")
        _press(tg, TEACHER, "Планы поддержки. Выберите", "Никита")
        _press(tg, TEACHER, "Что сделать с этим планом", "PDF")
        tg.wait_for(lambda: any(c.ok for c in tg.calls("sendDocument")), timeout=20)
        upload = next(c for c in tg.calls("sendDocument") if c.ok)
        assert upload.params.get("protect_content") in (True, "true")
        data = next(iter(upload.files.values())).data
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        assert "Индивидуальный план поддержки" in text and "Никита, 9" in text
        assert "С сентября пропустил 14 уроков" in text
