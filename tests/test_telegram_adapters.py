"""Both Telegram runtimes turn the same raw updates into the same core events."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from bot.channels.aiogram_app import AiogramFeed
from bot.core.events import Event, EventKind
from tests.fake_telegram import factories as f

pytest.importorskip("telegram.ext", reason="the ptb extra is not installed")

from telegram.error import NetworkError

from bot.channels.ptb_app import PtbFeed, build_application

TOKEN = "123456:TESTtoken_abcdefghijklmnopqrstu"
BASE = "http://127.0.0.1:9"  # nothing listens there: neither adapter may send anything
PARENT = f.make_user(77, "Anna", "ru")
OUT = f.make_chat(-100, "group", title="8.a vecāki")


class RecordingProcessor:
    """Stands in for the processor and records what each adapter asked of it."""

    def __init__(self, fail: bool = False) -> None:
        self.seen: list[tuple[Any, ...]] = []
        self.fail = fail

    async def handle(self, event: Event, deliver: object, *, update_id: int | None = None) -> None:
        if self.fail:
            raise RuntimeError("the processor broke")
        self.seen.append(("handle", update_id, event))

    async def skip(self, update_id: int, status: str = "skipped") -> None:
        self.seen.append(("skip", update_id))

    async def note_reachability(self, telegram_id: int, reachable: bool, update_id: int) -> None:
        self.seen.append(("reachable", update_id, telegram_id, reachable))


def _bot_message(text: str, *, date: int | None = None) -> dict[str, Any]:
    """A message the bot sent earlier, carrying the pressed button."""
    bot = {"id": 123456, "is_bot": True, "first_name": "Pumpurs Test"}
    return f.make_message(text, bot, f.private_chat_for(PARENT), 555, date=date)


def _channel_post(text: str) -> dict[str, Any]:
    chat = f.make_chat(-200, "channel")
    post = f.make_message(text, None, chat)
    del post["from"]  # signed by the channel, not a person
    post["sender_chat"] = chat
    return post


def _event(kind: EventKind, **kw: Any) -> Event:
    return Event(77, kw.pop("chat_id", 77), kind, name="Anna", language_code="ru", **kw)


# (update key, payload, what the processor must be asked)
CASES: dict[str, tuple[str, dict[str, Any], Callable[[int], tuple[Any, ...]]]] = {
    "text": (
        "message",
        f.make_message("  Kā pieteikties?  ", PARENT, message_id=11),
        lambda u: ("handle", u, _event(EventKind.TEXT, text="Kā pieteikties?", message_id=11)),
    ),
    "command": (
        "message",
        f.make_message("/start@pumpurs_test_bot tok123", PARENT, message_id=12),
        lambda u: (
            "handle",
            u,
            _event(
                EventKind.COMMAND,
                text="/start@pumpurs_test_bot tok123",
                command="start",
                args="tok123",
                message_id=12,
            ),
        ),
    ),
    "photo": (
        "message",
        f.make_photo_message(PARENT, caption="skat."),
        lambda u: ("handle", u, _event(EventKind.UNSUPPORTED, content_type="photo")),
    ),
    "sticker": (
        "message",
        f.make_sticker_message(PARENT),
        lambda u: ("handle", u, _event(EventKind.UNSUPPORTED, content_type="sticker")),
    ),
    "voice": (
        "message",
        f.make_voice_message(PARENT),
        lambda u: ("handle", u, _event(EventKind.UNSUPPORTED, content_type="voice")),
    ),
    "document": (
        "message",
        f.make_document_message(PARENT),
        lambda u: ("handle", u, _event(EventKind.UNSUPPORTED, content_type="document")),
    ),
    "group": (
        "message",
        f.make_message("/start", PARENT, OUT),
        lambda u: ("handle", u, _event(EventKind.GROUP, chat_id=-100)),
    ),
    "edit": (
        "edited_message",
        f.make_message("labots", PARENT, edit_date=1_700_000_000),
        lambda u: ("handle", u, _event(EventKind.EDITED)),
    ),
    "group edit": (
        "edited_message",
        f.make_message("labots", PARENT, OUT, edit_date=1_700_000_000),
        lambda u: ("skip", u),
    ),
    "button": (
        "callback_query",
        f.make_callback_query(PARENT, _bot_message("Izvēlne"), "m:ask", query_id="q-1"),
        lambda u: (
            "handle",
            u,
            _event(EventKind.BUTTON, payload="m:ask", message_id=555, callback_id="q-1"),
        ),
    ),
    "button on an old message": (  # Telegram sends date 0 for a message it no longer shows
        "callback_query",
        f.make_callback_query(PARENT, _bot_message("", date=0), "m:ask", query_id="q-2"),
        lambda u: (
            "handle",
            u,
            _event(EventKind.BUTTON, payload="m:ask", message_id=555, callback_id="q-2"),
        ),
    ),
    "blocked": (
        "my_chat_member",
        f.make_my_chat_member(PARENT, "kicked"),
        lambda u: ("reachable", u, 77, False),
    ),
    "unblocked": (
        "my_chat_member",
        f.make_my_chat_member(PARENT, "member", old_status="kicked"),
        lambda u: ("reachable", u, 77, True),
    ),
    "channel post": (
        "channel_post",
        _channel_post("ziņa"),
        lambda u: ("skip", u),
    ),
}


async def _aiogram(processor: RecordingProcessor) -> AsyncIterator[Any]:
    feed = AiogramFeed(processor, BASE, TOKEN)  # type: ignore[arg-type]
    yield feed
    await feed.close()


async def _ptb(processor: RecordingProcessor) -> AsyncIterator[Any]:
    feed = await PtbFeed.open(processor, BASE, TOKEN)  # type: ignore[arg-type]
    yield feed
    await feed.close()


FEEDS = {"aiogram": _aiogram, "ptb": _ptb}


async def _seen(runtime: str, update: dict[str, Any]) -> list[tuple[Any, ...]]:
    processor = RecordingProcessor()
    async for feed in FEEDS[runtime](processor):
        await feed(update["update_id"], update)
    return processor.seen


@pytest.mark.parametrize("case", list(CASES))
async def test_both_runtimes_make_the_same_event(case: str) -> None:
    key, payload, expected = CASES[case]
    update = f.make_update(key, payload)
    aiogram, ptb = await _seen("aiogram", update), await _seen("ptb", update)
    assert aiogram == [expected(update["update_id"])]
    assert ptb == aiogram


@pytest.mark.parametrize("runtime", list(FEEDS))
async def test_a_failing_update_is_reported_to_the_inbox(runtime: str) -> None:
    """The inbox worker marks an update failed only if the feed raises; both runtimes do."""
    update = f.make_update("message", f.make_message("/menu", PARENT))
    async for feed in FEEDS[runtime](RecordingProcessor(fail=True)):
        with pytest.raises(RuntimeError, match="the processor broke"):
            await feed(update["update_id"], update)


async def test_ptb_sends_nothing_itself() -> None:
    """Replies go through our one Sender; PTB's own bot cannot reach the network."""
    me = {"id": 123456, "is_bot": True, "first_name": "bot"}
    application = build_application(RecordingProcessor(), BASE, TOKEN, me)  # type: ignore[arg-type]
    await application.initialize()  # getMe is answered locally
    try:
        with pytest.raises(NetworkError, match="sendMessage"):
            await application.bot.send_message(77, "sveiki")
    finally:
        await application.shutdown()
