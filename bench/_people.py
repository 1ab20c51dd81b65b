"""Scripted people for the load benchmark: parents asking, people browsing, teachers in the wizard.

Each person reads the latest keyboard the bot sent them (taken from the outbox as it is written)
and presses buttons by their visible label, as a person would; nothing is precomputed, so the
callback data, serials and record ids are the real ones.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench._harness import text_update
from bot.storage.repos import outbox

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"

# A step: text to send (commands included), or a button to press by label part or position.
Step = tuple[str, str | int]

WIZARD: list[Step] = [
    ("say", "/newplan"),
    ("press", "Lauma, 6.b"),
    ("press", "2026/27-1"),
    ("press", "Iesniegums saņemts"),
    ("say", "1.10.2026"),
    ("press", "Mācību darba"),
    ("press", 0),
    ("press", "Gatavs"),
    ("press", "Ekonomiskie"),
    ("press", 0),
    ("press", "Gatavs"),
    ("press", "Riski izvēlēti"),
    ("say", "Septembrī trīs no četriem kontroldarbiem nav nokārtoti."),
    ("say", "Ģimene nevar atļauties sabiedriskā transporta biļetes."),
    ("press", 2),
    ("say", "3 nesekmīgi darbi"),
    ("say", "0 nesekmīgu darbu"),
    ("say", "15.12.2026"),
    ("press", "Bez mērķa"),
    ("press", 0),
    ("press", 1),
    ("press", "Gatavs"),
    ("press", "Atstāt tā"),
    ("press", "Mainīt atbildīgo"),
    ("say", "sociālais pedagogs Anna"),
    ("say", "reizi mēnesī"),
    ("say", "Apmeklēt konsultācijas katru otrdienu."),
    ("say", "Pārbaudīt e-klasi reizi nedēļā."),
    ("say", "6.11.2026"),
    ("say", "/plans"),
    ("press", "Nr."),
    ("say", "/menu"),
]


def questions(lang: str) -> list[str]:
    """Real questions from the search evaluation files, in one language."""
    found = []
    for name in ("search-dev.tsv", "search-extra.tsv"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 2 and parts[1] == lang and parts[0].strip():
                found.append(parts[0].strip())
    return found


def parent(lang: str, q1: str, q2: str) -> list[Step]:
    first = "Latviešu" if lang == "lv" else "Русский"
    return [("say", "/start"), ("press", first), ("press", "❓"), ("say", q1), ("say", q2)]


def browser(lang: str) -> list[Step]:
    first = "Latviešu" if lang == "lv" else "Русский"
    return [
        ("say", "/start"),
        ("press", first),
        ("say", "/topics"),
        ("press", 0),
        ("press", 0),
        ("say", "/plans"),
        ("say", "/menu"),
    ]


Keyboard = list[tuple[str, str]]


class KeyboardTap:
    """Keeps the latest inline keyboard written to the outbox for each chat being watched.

    Writing to the outbox only notes the calls (one list append, in the bot's time); reading the
    keyboards off them is the simulated people looking at their screens, done by `catch_up`
    outside the timed part of a run.
    """

    def __init__(self) -> None:
        self.latest: dict[int, Keyboard] = {}
        self._lock = threading.Lock()
        self._seen: list[list[tuple[int, str, dict[str, Any]]]] = []
        self._real: Callable[..., None] | None = None

    def install(self) -> None:
        self._real = outbox.add_many

        def add_many(session: Any, calls: list[tuple[int, str, dict[str, Any]]]) -> None:
            assert self._real is not None
            self._real(session, calls)
            with self._lock:
                self._seen.append(calls)

        outbox.add_many = add_many  # type: ignore[assignment]

    def catch_up(self) -> None:
        """Read the keyboards off the calls written since the last catch-up."""
        with self._lock:
            seen, self._seen = self._seen, []
        for calls in seen:
            for chat, _method, payload in calls:
                markup = payload.get("reply_markup")
                if markup:
                    rows = markup["inline_keyboard"]
                    self.latest[chat] = [(b["text"], b["callback_data"]) for r in rows for b in r]

    def forget(self, chat: int) -> None:
        self.catch_up()  # so no keyboard of theirs arrives after they are forgotten
        self.latest.pop(chat, None)


@dataclass
class Person:
    """One user working through a script; `next_update` returns None when done."""

    telegram_id: int
    kind: str
    lang: str
    script: list[Step]
    position: int = 0
    misses: int = 0

    @property
    def done(self) -> bool:
        return self.position >= len(self.script)

    def next_update(self, update_id: int, tap: KeyboardTap) -> dict[str, Any] | None:
        while not self.done:
            action, arg = self.script[self.position]
            self.position += 1
            if action == "say":
                return text_update(update_id, self.telegram_id, str(arg), self.lang)
            tap.catch_up()
            data = _find(tap.latest.get(self.telegram_id, []), arg)
            if data is not None:
                return button_update(update_id, self.telegram_id, data, self.lang)
            self.misses += 1  # the bot did not show what the script expected: note it, go on
        return None


def _find(keys: Keyboard, arg: str | int) -> str | None:
    if isinstance(arg, int):
        return keys[arg][1] if arg < len(keys) else None
    return next((data for label, data in keys if arg in label), None)


def button_update(update_id: int, user: int, data: str, lang: str) -> dict[str, Any]:
    chat = {"id": user, "type": "private", "first_name": "Bench"}
    sender = {"id": user, "is_bot": False, "first_name": "Bench", "language_code": lang}
    bot = {"id": 1, "is_bot": True, "first_name": "Bot"}
    message = {"message_id": 1, "date": 1_790_000_000, "chat": chat, "from": bot, "text": "…"}
    query = {
        "id": str(update_id),
        "from": sender,
        "chat_instance": str(user),
        "data": data,
        "message": message,
    }
    return {"update_id": update_id, "callback_query": query}
