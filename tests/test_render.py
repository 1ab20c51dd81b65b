"""Rendering: user text is escaped, long messages are split, plural and dates in the locale."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from bot.channels.render import TELEGRAM_LIMIT, Renderer, plain, split
from bot.channels.telegram_delivery import calls_for
from bot.core.context import Cursor
from bot.core.engine import Turn
from bot.core.events import Event, EventKind
from bot.core.replies import Button, Raw, Reply, say


def test_user_text_is_escaped_for_html() -> None:
    out = Renderer("lv").html(Reply((say("ask_school.confirm", question=Raw("<b>hi</b> & co")),)))
    assert "&lt;b&gt;hi&lt;/b&gt; &amp; co" in out.chunks[0]
    assert "<b>hi</b> & co" in plain(out.chunks[0])


def test_long_text_is_split_below_the_limit_with_buttons_on_the_last() -> None:
    text = ("Vārds " * 50 + "\n") * 40
    reply = Reply((Raw(text),), ((Button(Raw("OK"), "1:y"),),))
    turn = Turn([reply], Cursor(), "lv")
    calls = calls_for(turn, Event(5, 5, EventKind.TEXT))
    assert len(calls) > 1
    assert all(len(p["text"]) <= TELEGRAM_LIMIT for _, p in calls)
    assert "reply_markup" in calls[-1][1] and all("reply_markup" not in p for _, p in calls[:-1])


@pytest.mark.parametrize("label", ["Lauma, 6.b", "<b>x</b> & y", "&amp; &copy &#60;", "a  b\n"])
def test_typed_button_labels_are_shown_exactly_as_given(label: str) -> None:
    out = Renderer("lv").html(Reply((), ((Button(Raw(label), "1:y"),),)))
    assert out.buttons[0][0].label == label == plain(html.escape(label, quote=False))


def test_split_never_loses_text() -> None:
    text = "a" * 10_000
    assert "".join(split(text, TELEGRAM_LIMIT)) == text


def test_button_press_is_answered_and_edit_targets_the_message() -> None:
    reply = Reply((say("menu.prompt"),), edit=True)
    event = Event(5, 5, EventKind.BUTTON, payload="1:b", message_id=77, callback_id="cb1")
    calls = calls_for(Turn([reply], Cursor(), "ru"), event)
    assert calls[0] == ("answerCallbackQuery", {"callback_query_id": "cb1"})
    assert calls[1][0] == "editMessageText" and calls[1][1]["message_id"] == 77
    assert calls[1][1]["text"] == "Главное меню. Что вы хотите сделать?"


def test_dates_and_plurals_follow_the_language() -> None:
    day = dt.date(2027, 1, 15)
    lv = Renderer("lv").part(say("error.date_too_early", date=day))
    ru = Renderer("ru").part(say("error.date_too_early", date=day))
    assert "2027" in lv and "janv" in lv
    assert "янв" in ru
    assert "21 символ." in Renderer("ru").part(say("error.text_too_short", count=21))


def test_long_free_text_on_a_button_is_cut_at_a_word_with_an_ellipsis() -> None:
    from bot.core.replies import LABEL_LIMIT, label_text

    goal = "Līdz … samazināt dienu skaitu, kad skolēns nenokļūst skolā ceļa dēļ, no … līdz …"
    shown = label_text(goal).value
    assert len(shown) <= LABEL_LIMIT and shown.endswith("…")
    assert goal.startswith(shown[:-1]) and goal[len(shown) - 1] == " "  # cut between words
    assert label_text("  Īss   mērķis ").value == "Īss mērķis"  # short: whole, spaces tidied
    assert label_text("x" * 100).value == "x" * (LABEL_LIMIT - 1) + "…"  # one long word
