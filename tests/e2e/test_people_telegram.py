"""The invitation chain over Telegram: CLI → coordinator → teacher (in Russian) → parent."""

from __future__ import annotations

import re
from pathlib import Path

from tests.e2e.harness import button, cli_invite, running_bot, texts, wait_text

TOKEN_RE = re.compile(r"/start (\S+)")


def test_invitation_chain_over_telegram(db_url: str, tmp_path: Path) -> None:
    token = cli_invite(
        db_url, "coordinator", "Daugavpils 9. vidusskola", "--municipality", "Daugavpils"
    )
    with running_bot(db_url, tmp_path) as (tg, _bot):
        start = tg.send_text(501, f"/start {token}", first_name="Inga")
        menu = wait_text(tg, 501, "Galvenā izvēlne")
        assert tg.is_deleted(501, start["message"]["message_id"])  # the token left the chat
        tg.press_button(501, menu, button(menu, "Uzaicināt kolēģi"))
        roles = wait_text(tg, 501, "Kādā lomā aicināt?")
        tg.press_button(501, roles, button(roles, "klases audzinātājs"))
        invite = wait_text(tg, 501, "Ielūgums lomai")
        sent = [c for c in tg.calls("sendMessage") if "Ielūgums lomai" in c.params.get("text", "")]
        assert sent and sent[0].params.get("protect_content") is True
        teacher_token = TOKEN_RE.search(invite["text"])
        assert teacher_token is not None

        tg.send_text(502, f"/start {teacher_token[1]}", language_code="ru", first_name="Ирина")
        menu_ru = wait_text(tg, 502, "Главное меню")
        assert "Добро пожаловать! Ваша роль: классный руководитель" in "\n".join(texts(tg, 502))
        tg.press_button(502, menu_ru, button(menu_ru, "Ученики"))
        pupils = wait_text(tg, 502, "Ученики. Выберите")
        tg.press_button(502, pupils, button(pupils, "Добавить ученика"))
        wait_text(tg, 502, "Имя ученика")
        tg.send_text(502, "Даниил", language_code="ru")
        wait_text(tg, 502, "Класс, например")
        tg.send_text(502, "8a", language_code="ru")
        listing = wait_text(tg, 502, "Ученик Даниил (8.a класс) добавлен.")
        tg.press_button(502, listing, button(listing, "Даниил, 8.a"))
        card = wait_text(tg, 502, "Привязано родителей: 0")
        tg.press_button(502, card, button(card, "Пригласить родителя"))
        parent_invite = wait_text(tg, 502, "Приглашение для роли «родитель»")
        parent_token = TOKEN_RE.search(parent_invite["text"])
        assert parent_token is not None

        tg.send_text(503, f"/start {parent_token[1]}", language_code="ru")
        parent_menu = wait_text(tg, 503, "Главное меню")
        labels = [b["text"] for row in parent_menu["reply_markup"]["inline_keyboard"] for b in row]
        assert "🧒 Мой ребёнок" in labels and "🧑‍🎓 Ученики" not in labels
        tg.press_button(503, parent_menu, button(parent_menu, "Мой ребёнок"))
        wait_text(tg, 503, "• Даниил, 8.a")
