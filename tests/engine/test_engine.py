"""The engine, table-driven: inputs, validation, navigation, stale buttons, global commands."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core import callbacks
from bot.core.engine import Turn
from bot.core.events import Event, EventKind
from bot.core.flows import Flow, Option, Transition
from bot.core.registry import ActionResult, DynamicOption
from bot.core.replies import Text, say
from tests.engine.helpers import TODAY, Session, buttons, keys, raw_params


def at_sample() -> Session:
    s = Session()
    s.goto("sample")
    return s


def test_new_person_gets_onboarding_then_language_is_stored() -> None:
    s = Session(language="ru", new=True)
    turn = s.text("/start")
    assert keys(turn) == ["onboarding.welcome"]
    assert buttons(turn.replies[0]) == ["language.lv", "language.ru"]
    turn = s.press("olv")
    assert s.services.calls == [("set_language", "lv")]
    assert turn.language == "lv"
    assert keys(turn) == ["language.changed", "menu.prompt"]


def test_text_typed_at_the_welcome_is_kept_and_the_buttons_still_work() -> None:
    s = Session(language="ru", new=True)
    s.text("/start")
    turn = s.text("Labdien!")
    assert keys(turn) == ["onboarding.question_kept", "onboarding.welcome"]
    assert buttons(turn.replies[0]) == ["language.lv", "language.ru"]
    s.text("ja")  # kept too: at this step a yes-word is part of what they are saying
    assert s.cursor.data["question"] == "Labdien!\nja"
    s.text("x" * 1500)
    assert s.cursor.data["question"] == "x" * 1000  # bounded: the latest part is kept
    turn = s.press("oru")
    assert s.services.calls == [("set_language", "ru")]
    assert keys(turn) == ["language.changed", "menu.prompt"]  # no knowledge base: the menu
    assert "question" not in s.cursor.data


def test_kept_messages_join_in_order() -> None:
    s = Session(new=True)
    s.text("/start")
    s.text("Labdien!")
    s.text("Mans dēls neiet uz skolu")
    assert s.cursor.data["question"] == "Labdien!\nMans dēls neiet uz skolu"


def test_known_person_start_shows_menu() -> None:
    s = Session()
    assert keys(s.text("/start")) == ["menu.prompt"]


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("A", "error.text_too_short"),
        ("Abcdefghijklmnop", "error.text_too_long"),
    ],
)
def test_text_validation_reasks(typed: str, error: str) -> None:
    s = at_sample()
    turn = s.text(typed)
    assert keys(turn) == [error, "progress.step", "t.name"]
    assert s.cursor.step == "name" and "name" not in s.cursor.data


@pytest.mark.parametrize(
    ("typed", "expected", "error"),
    [
        ("7", 7, None),
        ("1,5", 1.5, None),
        ("abc", None, "error.not_a_number"),
        ("21", None, "error.number_range"),
        ("0", None, "error.number_range"),
        ("nan", None, "error.not_a_number"),
    ],
)
def test_number_input(typed: str, expected: float | None, error: str | None) -> None:
    s = at_sample()
    s.text("Anna")
    turn = s.text(typed)
    if error:
        assert keys(turn)[0] == error and s.cursor.step == "age"
    else:
        assert s.cursor.data["age"] == expected and s.cursor.step == "day"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("15.12.2026", "2026-12-15"),
        ("15.12.26", "2026-12-15"),
        ("1.12.26", "2026-12-01"),
        ("2026-12-15", "2026-12-15"),
        ("15. decembris", "2026-12-15"),
        ("15. decembrī", "2026-12-15"),
        ("15 декабря", "2026-12-15"),
        ("15 dec", "2026-12-15"),
        ("5. janvāris", "2027-01-05"),
    ],
)
def test_date_formats(typed: str, expected: str) -> None:
    s = at_sample()
    s.text("Anna")
    s.text("7")
    s.text(typed)
    assert s.cursor.data.get("day") == expected, keys(s.last) if s.last else None


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("29.11.2026", "error.date_too_early"),  # yesterday: dates in the past are refused
        ("1.3.2027", "error.date_too_late"),
        ("31.02.2027", "error.bad_date"),
        ("someday", "error.bad_date"),
    ],
)
def test_bad_dates_reask(typed: str, error: str) -> None:
    s = at_sample()
    s.text("Anna")
    s.text("7")
    turn = s.text(typed)
    assert keys(turn)[0] == error and s.cursor.step == "day"


def test_date_buttons_offer_nearby_dates_within_bounds() -> None:
    s = at_sample()
    s.text("Anna")
    turn = s.text("7")
    labels = [b for row in turn.replies[-1].buttons for b in row]
    dates = [b.label.params["date"] for b in labels if b.label.key.startswith("input.date_")]
    assert dates == [TODAY + dt.timedelta(days=d) for d in (1, 7, 14, 30)]
    assert labels[0].label.key == "input.date_tomorrow"
    s.send(Event(7, 7, EventKind.BUTTON, payload=labels[1].data))
    assert s.cursor.data["day"] == (TODAY + dt.timedelta(days=7)).isoformat()


def test_a_date_in_the_past_offers_today_and_the_days_before() -> None:
    s = Session()
    turn = s.goto("received")
    labels = [b.label for row in turn.replies[-1].buttons for b in row]
    dated = [(label.key, label.params["date"]) for label in labels if "date" in label.params]
    assert dated == [
        ("input.date_today", TODAY),
        ("input.date_yesterday", TODAY - dt.timedelta(days=1)),
        ("input.date_button", TODAY - dt.timedelta(days=2)),
        ("input.date_button", TODAY - dt.timedelta(days=7)),
    ]


@pytest.mark.parametrize(
    ("typed", "days"),
    [("vakar", -1), ("Šodien", 0), ("aizvakar!", -2), ("вчера", -1), ("Позавчера.", -2)],
)
def test_words_for_nearby_days_are_understood_in_both_languages(typed: str, days: int) -> None:
    s = Session()
    s.goto("received")
    s.text(typed)
    assert [d["when"] for d in s.remembered] == [(TODAY + dt.timedelta(days=days)).isoformat()]


def _review_day() -> tuple[Session, Turn]:
    s = Session()
    planted = {"end": (TODAY + dt.timedelta(days=10)).isoformat()}
    planted["hint"] = (TODAY + dt.timedelta(days=5)).isoformat()
    s.engine.registry.actions["plant"] = lambda ctx, data: ActionResult(data=planted)
    return s, s.goto("review_day")


def test_a_date_step_offers_the_suggested_day_first_and_nothing_past_the_latest() -> None:
    _, turn = _review_day()
    labels = [b.label for row in turn.replies[-1].buttons for b in row]
    dated = [(label.key, label.params["date"]) for label in labels if "date" in label.params]
    assert dated == [
        ("input.date_suggested", TODAY + dt.timedelta(days=5)),
        ("input.date_tomorrow", TODAY + dt.timedelta(days=1)),
        ("input.date_button", TODAY + dt.timedelta(days=7)),
    ]  # 14 and 30 days ahead are past the planted end
    prompt = turn.replies[-1].parts[-1]
    assert isinstance(prompt, Text) and prompt.params["suggested"] == TODAY + dt.timedelta(days=5)


def test_a_typed_date_past_the_latest_is_refused_with_that_date() -> None:
    s, _ = _review_day()
    turn = s.text((TODAY + dt.timedelta(days=20)).strftime("%d.%m.%Y"))
    error = turn.replies[-1].parts[0]
    assert isinstance(error, Text) and error.key == "error.date_too_late"
    assert error.params["date"] == TODAY + dt.timedelta(days=10)
    s.text((TODAY + dt.timedelta(days=10)).strftime("%d.%m.%Y"))
    assert [d["when"] for d in s.remembered] == [(TODAY + dt.timedelta(days=10)).isoformat()]


def test_a_nearby_day_outside_the_bounds_is_refused_as_any_date() -> None:
    s = Session()
    s.goto("received")
    assert keys(s.text("rīt"))[0] == "error.date_too_late"


def _to_colours(s: Session) -> None:
    s.text("Anna")
    s.text("7")
    s.text("15.12.2026")


def test_multi_choice_toggles_and_done() -> None:
    s = at_sample()
    _to_colours(s)
    assert "t.green" not in str(s.last.replies[-1].buttons if s.last else "")  # hidden option
    turn = s.press("d")
    assert keys(turn)[0] == "error.choose_at_least"
    turn = s.press("tred")
    assert turn.replies[-1].edit is True
    assert s.cursor.data["colours"] == ["red"]
    s.press("tblue")
    s.press("tred")
    assert s.cursor.data["colours"] == ["blue"]
    s.press("d")
    assert s.cursor.step == "sure"


def test_hidden_option_cannot_be_forged() -> None:
    s = at_sample()
    _to_colours(s)
    turn = s.press("tgreen")
    assert keys(turn)[0] == "error.stale_button"
    assert "colours" not in s.cursor.data


def test_a_press_asks_only_the_condition_of_the_option_pressed() -> None:
    s = at_sample()
    _to_colours(s)
    asked: list[str] = []
    s.engine.registry.conditions["never"] = lambda ctx, data: bool(asked.append("green"))
    s.press("tred")
    assert asked == ["green"]  # by the prompt shown again, not by checking the press
    assert s.cursor.data["colours"] == ["red"]
    turn = s.press("tgreen")
    assert asked == ["green"] * 3  # the press, then the prompt shown again
    assert keys(turn)[0] == "error.stale_button" and s.cursor.data["colours"] == ["red"]


def test_yes_no_with_words_and_buttons_runs_action_then_ends_at_menu() -> None:
    s = at_sample()
    _to_colours(s)
    s.press("tred")
    turn = s.press("d")
    assert raw_params(turn.replies[-1]) == {"who": "Anna"}
    turn = s.text("varbūt")
    assert keys(turn)[0] == "error.use_buttons"
    turn = s.text("Jā")
    assert s.remembered and s.remembered[0]["name"] == "Anna"
    assert keys(turn) == ["t.thanks", "menu.prompt"]
    assert s.cursor.dialog == "menu"


def test_no_goes_back_to_edit_and_back_button_returns() -> None:
    s = at_sample()
    _to_colours(s)
    s.press("tred")
    s.press("d")
    s.press("n")
    assert s.cursor.step == "name"
    s.press("b")
    assert s.cursor.step == "sure"
    s.press("b")
    assert s.cursor.step == "colours"


def test_stale_button_says_so_and_reopens_the_current_step() -> None:
    s = at_sample()
    old_serial = s.cursor.serial
    s.text("Anna")
    turn = s.press("b", serial=old_serial)
    assert keys(turn) == ["error.stale_button", "progress.step", "t.age"]
    assert s.cursor.step == "age"


@pytest.mark.parametrize("payload", ["", "garbage", "x" * 80, "1:" + "é", "zz:", ":ob", "-1:b"])
def test_forged_button_data_changes_nothing(payload: str) -> None:
    s = at_sample()
    before = (s.cursor.step, dict(s.cursor.data))
    turn = s.send(Event(7, 7, EventKind.BUTTON, payload=payload))
    assert keys(turn)[0] in ("error.unknown_button", "error.stale_button")
    assert (s.cursor.step, s.cursor.data) == before


def test_callback_data_fits_telegram() -> None:
    assert len(callbacks.encode(36**8, "o" + "a" * 24).encode()) <= 64
    with pytest.raises(ValueError):
        callbacks.encode(1, "é")


def test_callback_data_limit_is_64_characters_of_our_alphabet() -> None:
    assert callbacks.decode("1:" + "a" * 62) == callbacks.Press(1, "a" * 62)
    assert callbacks.decode("1:" + "a" * 63) is None
    with pytest.raises(ValueError):  # the same refusal again, not a remembered answer
        callbacks.encode(1, "o" + "a" * 62)
    with pytest.raises(ValueError):
        callbacks.encode(1, "o" + "a" * 62)


def test_option_shows_its_label_and_target_and_progress_counts_groups() -> None:
    option = Option("a", "t.label", Transition("dialog:menu"), show_if="c")
    assert option.shown == DynamicOption("a", say("t.label"), "dialog:menu")
    assert Option("b", "t.other").shown == DynamicOption("b", say("t.other"), None)
    assert option == Option("a", "t.label", Transition("dialog:menu"), show_if="c")
    flow = Flow("f", "x", {}, "f.yaml", progress=("x", "y|z", "z"))
    assert flow.positions == {"x": 0, "y": 1, "z": 1}  # the first entry naming a step counts


@pytest.mark.parametrize(
    ("command", "first"),
    [
        ("/cancel", "cancel.done"),
        ("/menu", "menu.prompt"),
        ("/language", "language.choose"),
        ("/help", "help.general"),
        ("/frobnicate", "error.unknown_command"),
        ("/plans", "error.unknown_command"),
    ],
)
def test_global_commands_work_from_any_step(command: str, first: str) -> None:
    s = at_sample()
    s.text("Anna")
    assert keys(s.text(command))[0] == first


def test_cancel_outside_a_dialog_says_nothing_to_cancel() -> None:
    s = Session()
    s.text("/menu")
    assert keys(s.text("/cancel"))[0] == "cancel.nothing"


def test_help_shows_step_help_first() -> None:
    s = Session()
    s.goto("sample")
    turn = s.text("/help")
    assert keys(turn)[:1] == ["help.general"]


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        (EventKind.UNSUPPORTED, "error.unsupported_content"),
        (EventKind.EDITED, "error.edited_message"),
        (EventKind.GROUP, "error.group_chat"),
    ],
)
def test_unexpected_updates_get_a_polite_reply(kind: EventKind, key: str) -> None:
    s = at_sample()
    turn = s.send(Event(7, 7, kind, content_type="sticker"))
    assert keys(turn)[0] == key
    assert s.cursor.step == "name"


def test_huge_text_is_refused_politely() -> None:
    s = at_sample()
    turn = s.text("x" * 10_000)
    assert keys(turn)[0] == "error.message_too_long"
    assert "name" not in s.cursor.data


def test_typing_at_a_button_step_asks_for_buttons() -> None:
    s = at_sample()
    _to_colours(s)
    assert keys(s.text("red"))[0] == "error.use_buttons"
