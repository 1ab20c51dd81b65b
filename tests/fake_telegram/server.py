"""In-process fake of the Telegram Bot API over real HTTP, for tests of the bot."""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import copy
import http
import itertools
import json
import mimetypes
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Literal, TypeVar
from urllib.parse import urlparse

from aiohttp import web

from . import factories as f
from . import webhook as hook
from .factories import JSON

T = TypeVar("T")
ChatKey = int | str

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
TELEGRAM_GLOBAL_RATE = 30  # messages per second for the whole bot
TELEGRAM_PER_CHAT_RATE = 1  # messages per second per chat

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
# Form/multipart values arrive as strings; these are the ones the Bot API reads as numbers,
# booleans or JSON (python-telegram-bot and aiogram both send JSON-encoded objects in forms).
_INT_FIELDS = frozenset(
    {
        "chat_id",
        "message_id",
        "offset",
        "limit",
        "timeout",
        "reply_to_message_id",
        "message_thread_id",
        "cache_time",
        "max_connections",
        "from_chat_id",
    }
)
_BOOL_FIELDS = frozenset(
    {
        "show_alert",
        "disable_notification",
        "protect_content",
        "disable_web_page_preview",
        "drop_pending_updates",
        "allow_sending_without_reply",
        "has_spoiler",
        "disable_content_type_detection",
    }
)
_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "commands",
        "scope",
        "allowed_updates",
        "link_preview_options",
        "reply_parameters",
        "media",
        "menu_button",
    }
)
# Methods that produce a message: the ones Telegram rate-limits.
_MESSAGE_METHODS = frozenset({"sendMessage", "sendDocument", "sendPhoto"})
# Methods that reach the user's chat and therefore fail once the user blocked the bot.
_CHAT_WRITE_METHODS = _MESSAGE_METHODS | {
    "sendChatAction",
    "editMessageText",
    "editMessageReplyMarkup",
}


# ----------------------------------------------------------------------------- data types


@dataclass(frozen=True)
class Fault:
    """A failure to serve instead of (or, for delay, before) the normal response."""

    kind: Literal["retry_after", "server_error", "forbidden", "drop", "delay"]
    seconds: float = 0.0
    code: int = 500

    @classmethod
    def retry_after(cls, seconds: int) -> Fault:
        return cls("retry_after", seconds=seconds, code=429)

    @classmethod
    def server_error(cls, code: int = 500) -> Fault:
        return cls("server_error", code=code)

    @classmethod
    def forbidden(cls) -> Fault:
        return cls("forbidden", code=403)

    @classmethod
    def drop(cls) -> Fault:
        return cls("drop", code=0)

    @classmethod
    def delay(cls, seconds: float) -> Fault:
        return cls("delay", seconds=seconds, code=0)


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request, as the bot uploaded it."""

    field: str
    filename: str
    content_type: str
    data: bytes


@dataclass
class RecordedCall:
    """One HTTP call the bot made; response is None when the connection was dropped."""

    method: str
    params: JSON
    time: float
    chat_id: ChatKey | None
    response: JSON | None
    status: int
    fault: Fault | None = None
    files: dict[str, UploadedFile] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.response is not None and bool(self.response.get("ok"))

    @property
    def result(self) -> Any:
        return None if self.response is None else self.response.get("result")


class ApiError(Exception):
    """An error answer in Telegram's shape."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def body(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(text: str) -> ApiError:
    return ApiError(400, f"Bad Request: {text}")


# ----------------------------------------------------------------------------- HTML parse mode


class HTMLParseError(ValueError):
    """Text is not valid Telegram HTML; the message mirrors Telegram's wording."""


_TAG_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));")


@dataclass
class _OpenTag:
    name: str
    attrs: dict[str, str]
    offset: int  # UTF-16 offset into the plain text
    text_start: int  # index into the plain-text buffer, to recover link text
    language: str | None = None


def _decode_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode an HTML entity at pos; Telegram keeps an unrecognised '&' as a literal."""
    m = _ENTITY_RE.match(text, pos)
    if m is None:
        return None
    dec, hexa, name = m.groups()
    if name is not None:
        char = _NAMED_ENTITIES.get(name)
        return None if char is None else (char, m.end())
    code = int(dec) if dec is not None else int(hexa, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), m.end()


def parse_html(text: str) -> tuple[str, list[JSON]]:
    """Parse Telegram HTML into (plain text, entities), raising HTMLParseError like Telegram.

    Follows tdlib's parser: only Telegram's tags, balanced and properly nested; a bare '<'
    is an error (so unescaped user text is caught) while a bare '&' or '>' is literal text.
    """
    out: list[str] = []
    pos16 = 0
    stack: list[_OpenTag] = []
    entities: list[JSON] = []
    i, n = 0, len(text)

    def offset(at: int) -> int:
        return len(text[:at].encode("utf-8"))

    def emit(chunk: str) -> None:
        nonlocal pos16
        out.append(chunk)
        pos16 += f.utf16_len(chunk)

    while i < n:
        c = text[i]
        if c == "&":
            decoded = _decode_entity(text, i)
            if decoded is not None:
                emit(decoded[0])
                i = decoded[1]
                continue
        if c != "<":
            emit(c)
            i += 1
            continue
        begin = i
        if i + 1 < n and text[i + 1] == "/":
            i = _close_tag(text, begin, stack, entities, out, pos16, offset)
        else:
            i = _open_tag(text, begin, stack, len(out), pos16, offset)
    if stack:
        raise HTMLParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _open_tag(
    text: str,
    begin: int,
    stack: list[_OpenTag],
    text_start: int,
    pos16: int,
    offset: Callable[[int], int],
) -> int:
    n = len(text)
    j = begin + 1
    while j < n and not text[j].isspace() and text[j] != ">":
        j += 1
    if j >= n:
        raise HTMLParseError(f"Unclosed start tag at byte offset {offset(begin)}")
    name = text[begin + 1 : j].lower()
    if name not in _TAG_ENTITY:
        raise HTMLParseError(f'Unsupported start tag "{name}" at byte offset {offset(begin)}')
    attrs: dict[str, str] = {}
    while True:
        while j < n and text[j].isspace():
            j += 1
        if j >= n:
            raise HTMLParseError(f"Unclosed start tag at byte offset {offset(begin)}")
        if text[j] == ">":
            break
        a = j
        while j < n and (text[j].isalnum() or text[j] in "-_"):
            j += 1
        attr = text[a:j].lower()
        if not attr:
            raise HTMLParseError(
                f'Empty attribute name in the tag "{name}" at byte offset {offset(begin)}'
            )
        while j < n and text[j].isspace():
            j += 1
        if name == "blockquote" and attr == "expandable" and (j >= n or text[j] != "="):
            attrs[attr] = ""
            continue
        if j >= n or text[j] != "=":
            raise HTMLParseError(
                f'Expected equal sign in declaration of an attribute of the tag "{name}" '
                f"at byte offset {offset(begin)}"
            )
        j += 1
        while j < n and text[j].isspace():
            j += 1
        if j >= n:
            raise HTMLParseError(f"Unclosed start tag at byte offset {offset(begin)}")
        if text[j] in "\"'":
            end = text.find(text[j], j + 1)
            if end < 0:
                raise HTMLParseError(
                    f"Unclosed end of attribute value at byte offset {offset(begin)}"
                )
            raw, j = text[j + 1 : end], end + 1
        else:
            a = j
            while j < n and not text[j].isspace() and text[j] != ">":
                j += 1
            raw = text[a:j]
        attrs[attr] = _unescape(raw)
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise HTMLParseError(
            f'Tag "span" must have class "tg-spoiler" at byte offset {offset(begin)}'
        )
    stack.append(_OpenTag(name, attrs, pos16, text_start))
    return j + 1


def _close_tag(
    text: str,
    begin: int,
    stack: list[_OpenTag],
    entities: list[JSON],
    out: list[str],
    pos16: int,
    offset: Callable[[int], int],
) -> int:
    n = len(text)
    j = begin + 2
    while j < n and not text[j].isspace() and text[j] != ">":
        j += 1
    name = text[begin + 2 : j].lower()
    while j < n and text[j].isspace():
        j += 1
    if j >= n or text[j] != ">":
        raise HTMLParseError(f"Unclosed end tag at byte offset {offset(begin)}")
    if not stack:
        raise HTMLParseError(f"Unexpected end tag at byte offset {offset(begin)}")
    if name != stack[-1].name:
        raise HTMLParseError(
            f'Unmatched end tag at byte offset {offset(begin)}, expected "</{stack[-1].name}>", '
            f'found "</{name}>"'
        )
    tag = stack.pop()
    length = pos16 - tag.offset
    language = tag.attrs.get("class", "")
    if (
        tag.name == "code"
        and language.startswith("language-")
        and stack
        and stack[-1].name == "pre"
    ):
        # <pre><code class="language-x"> sets the language of the enclosing pre block.
        stack[-1].language = language.removeprefix("language-")
    elif length > 0:
        entities.append(_entity_for(tag, length, "".join(out[tag.text_start :])))
    return j + 1


def _entity_for(tag: _OpenTag, length: int, inner: str) -> JSON:
    kind = _TAG_ENTITY[tag.name]
    entity: JSON = {"type": kind, "offset": tag.offset, "length": length}
    if tag.name == "a":
        url = tag.attrs.get("href") or inner
        user = re.fullmatch(r"tg://user\?id=(\d+)", url)
        if user is not None:
            entity.update(
                type="text_mention",
                user={"id": int(user.group(1)), "is_bot": False, "first_name": inner},
            )
        else:
            entity["url"] = url
    elif tag.name == "pre" and tag.language:
        entity["language"] = tag.language
    elif tag.name == "blockquote" and "expandable" in tag.attrs:
        entity["type"] = "expandable_blockquote"
    return entity


def _unescape(raw: str) -> str:
    parts: list[str] = []
    i = 0
    while i < len(raw):
        decoded = _decode_entity(raw, i) if raw[i] == "&" else None
        if decoded is None:
            parts.append(raw[i])
            i += 1
        else:
            parts.append(decoded[0])
            i = decoded[1]
    return "".join(parts)


# ----------------------------------------------------------------------------- helpers


def _coerce(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if name in _INT_FIELDS:
        try:
            return int(value)
        except ValueError:
            return value
    if name in _BOOL_FIELDS:
        return value.strip().lower() in ("true", "1")
    if name in _JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            if name == "reply_markup":
                raise bad_request("can't parse reply keyboard markup JSON object") from None
            raise bad_request(f"can't parse {name} JSON object") from None
    return value


def _inline_buttons(markup: Any) -> Iterator[JSON]:
    if isinstance(markup, dict):
        for row in markup.get("inline_keyboard") or []:
            for button in row if isinstance(row, list) else []:
                if isinstance(button, dict):
                    yield button


def _validate_markup(markup: Any) -> JSON | None:
    """Check reply_markup; returns what Telegram echoes back (inline keyboards only)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        return None  # reply keyboards / force_reply / remove are accepted but not echoed
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise bad_request(
            'can\'t parse inline keyboard button: field "inline_keyboard" '
            "must be an Array of Arrays"
        )
    for button in _inline_buttons(markup):
        if not isinstance(button.get("text"), str):
            raise bad_request("can't parse inline keyboard button: Text must be a String")
        if "callback_data" in button:
            data = button["callback_data"]
            if not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                raise bad_request("BUTTON_DATA_INVALID")
        elif len(button) == 1:
            raise bad_request(
                "can't parse inline keyboard button: "
                "Text buttons are unallowed in the inline keyboard"
            )
    return copy.deepcopy(markup)


def _find_chat_id(params: JSON) -> ChatKey | None:
    raw = params.get("chat_id")
    if isinstance(raw, bool) or raw is None or raw == "":
        return None
    if isinstance(raw, int):
        return raw
    return str(raw)


# ----------------------------------------------------------------------------- the fake


class FakeTelegram:
    """Fake Bot API server. Use ``with FakeTelegram() as tg`` or ``async with``.

    Point the bot at it with python-telegram-bot ``base_url=tg.base_url + "/bot"`` or
    aiogram ``TelegramAPIServer.from_base(tg.base_url)``. All public methods are safe to
    call from any thread; state is guarded by one re-entrant condition.

    Rate limits are off unless given, e.g. ``global_rate=TELEGRAM_GLOBAL_RATE,
    per_chat_rate=TELEGRAM_PER_CHAT_RATE`` (messages per second, sliding one-second window).
    Returned messages look like Telegram's: HTML is parsed into plain text plus entities and
    only inline keyboards are echoed in reply_markup; the raw request is in calls().
    A dropped call is recorded with status 0 and response None.
    """

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        *,
        bot_username: str = "pumpurs_test_bot",
        bot_first_name: str = "Pumpurs Test",
        host: str = "127.0.0.1",
        port: int = 0,
        first_update_id: int = 1,
        global_rate: float | None = None,
        per_chat_rate: float | None = None,
        on_call: Callable[[RecordedCall], None] | None = None,
    ) -> None:
        self.token = token
        head = token.split(":", 1)[0]
        self.bot_user: JSON = {
            "id": int(head) if head.isdigit() else 123456,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.host = host
        self._port = port
        self._global_rate = global_rate
        self._per_chat_rate = per_chat_rate
        self._on_call = on_call
        self._cond = threading.Condition(threading.RLock())
        self._calls: list[RecordedCall] = []
        self._updates: list[JSON] = []
        self._next_update_id = first_update_id
        self._pushed = 0
        self._chats: dict[int, JSON] = {}
        self._last_message_id: dict[int, int] = {}
        self._messages: dict[tuple[int, int], JSON] = {}
        self._bot_sent: list[tuple[int, int]] = []
        self._deleted: set[tuple[int, int]] = set()
        self._files: dict[str, tuple[JSON, bytes | None]] = {}
        self._file_seq = itertools.count(1)
        self._open_queries: set[str] = set()
        self._commands: dict[tuple[str, str], list[JSON]] = {}
        self._webhook: JSON = {"url": ""}
        self._webhook_secret: str | None = None
        self._webhook_targets: list[str] = []
        self._fan_out = False
        self._deliveries = itertools.count()
        self._method_faults: dict[str, collections.deque[Fault]] = {}
        self._chat_faults: dict[ChatKey, collections.deque[Fault]] = {}
        self._blocked: set[ChatKey] = set()
        self._global_window: collections.deque[float] = collections.deque()
        self._chat_windows: dict[ChatKey, collections.deque[float]] = {}
        self._http_429 = 0
        self._async_waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        # Server-loop state, only touched from inside that loop.
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._updates_event: asyncio.Event | None = None
        self._poll_generation = 0
        self._closing = False
        self._handlers: dict[str, tuple[str, Callable[[JSON], Any] | None]] = {
            name.lower(): (name, handler)
            for name, handler in {
                "getMe": self._get_me,
                "sendMessage": self._send_message,
                "editMessageText": self._edit_message_text,
                "editMessageReplyMarkup": self._edit_message_reply_markup,
                "deleteMessage": self._delete_message,
                "answerCallbackQuery": self._answer_callback_query,
                "sendDocument": self._send_document,
                "sendPhoto": self._send_photo,
                "sendChatAction": self._send_chat_action,
                "setMyCommands": self._set_my_commands,
                "getMyCommands": self._get_my_commands,
                "deleteMyCommands": self._delete_my_commands,
                "setWebhook": self._set_webhook,
                "deleteWebhook": self._delete_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "close": lambda _: True,
                "logOut": lambda _: True,
                # Harmless start-up calls frameworks like to make.
                "setMyDescription": lambda _: True,
                "setMyShortDescription": lambda _: True,
                "setChatMenuButton": lambda _: True,
                "getUpdates": None,  # served asynchronously, see _get_updates
            }.items()
        }

    # ------------------------------------------------------------------ lifecycle

    @property
    def port(self) -> int:
        if self._runner is None:
            raise RuntimeError("FakeTelegram is not running")
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        """Prefix for method URLs: ``{api_url}/getMe``."""
        return f"{self.base_url}/bot{self.token}"

    def start(self) -> FakeTelegram:
        """Serve from a background thread with its own event loop."""
        if self._thread is not None:
            raise RuntimeError("already started")
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._start_server())
            except BaseException as exc:  # handed to the starting thread below
                failure.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(self._stop_server())
                loop.close()

        self._thread = threading.Thread(target=run, name="fake-telegram", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            self._thread = None
            raise failure[0]
        return self

    def stop(self) -> None:
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        self._thread = None

    def __enter__(self) -> FakeTelegram:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def __aenter__(self) -> FakeTelegram:
        await self._start_server()
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._stop_server()

    async def _start_server(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._updates_event = asyncio.Event()
        self._closing = False
        app = web.Application(client_max_size=50 * 1024 * 1024)  # Telegram's upload limit
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        # handler_cancellation: a client that gives up on a long poll frees it at once.
        runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self._port))
            await web.SockSite(runner, sock).start()
        except BaseException:
            sock.close()
            await runner.cleanup()
            raise
        self._port = sock.getsockname()[1]
        self._runner = runner

    async def _stop_server(self) -> None:
        if self._runner is None:
            return
        self._closing = True
        self._wake_pollers()  # pending long polls answer [] instead of stalling shutdown
        await self._runner.cleanup()
        self._runner = None

    # ------------------------------------------------------------------ recording & waiting

    def calls(self, method: str | None = None) -> list[RecordedCall]:
        with self._cond:
            if method is None:
                return list(self._calls)
            return [c for c in self._calls if c.method.lower() == method.lower()]

    def sent_messages(
        self, chat_id: int | None = None, *, include_deleted: bool = True
    ) -> list[JSON]:
        """Messages the bot sent, oldest first, as they are now (after edits)."""
        with self._cond:
            return [
                copy.deepcopy(self._messages[key])
                for key in self._bot_sent
                if (chat_id is None or key[0] == chat_id)
                and (include_deleted or key not in self._deleted)
            ]

    def is_deleted(self, chat_id: int, message_id: int) -> bool:
        with self._cond:
            return (chat_id, message_id) in self._deleted

    def file_content(self, file_id: str) -> bytes | None:
        """Bytes the bot uploaded under this file_id (None for ids not uploaded here)."""
        with self._cond:
            entry = self._files.get(file_id)
            return None if entry is None else entry[1]

    def commands(self, language_code: str = "", scope: JSON | None = None) -> list[JSON]:
        with self._cond:
            return copy.deepcopy(self._commands.get(self._commands_key(scope, language_code), []))

    @property
    def http_429(self) -> int:
        """How many 429 answers were served (rate limit and injected retry_after)."""
        with self._cond:
            return self._http_429

    @property
    def pending_updates(self) -> list[JSON]:
        with self._cond:
            return copy.deepcopy(self._updates)

    def describe(self) -> str:
        """Human-readable log of what happened, for assertion messages."""
        with self._cond:
            lines = [
                f"{self._pushed} update(s) pushed, {len(self._updates)} unconfirmed; "
                f"{len(self.calls('getUpdates'))} getUpdates call(s); other calls:"
            ]
            for i, call in enumerate(self._calls):
                if call.method == "getUpdates":
                    continue
                detail = call.params.get("text") or call.params.get("caption") or ""
                extra = f" fault={call.fault.kind}" if call.fault else ""
                lines.append(
                    f"  #{i} {call.method} chat={call.chat_id} -> {call.status}"
                    f"{extra} {str(detail)[:120]!r}"
                )
            return "\n".join(lines)

    def wait_for(
        self, predicate: Callable[[], T], timeout: float = 5.0, description: str = "condition"
    ) -> T:
        """Block until predicate() is truthy and return its value; AssertionError on timeout."""
        if self._loop is not None and self._thread is None and _in_loop(self._loop):
            raise RuntimeError("the server runs in this event loop: use wait_for_async")
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(self._timeout_message(description, timeout))
                self._cond.wait(remaining)

    def wait_for_messages(self, chat_id: int, count: int = 1, timeout: float = 5.0) -> list[JSON]:
        """Wait until the bot sent at least count messages to chat_id; returns all of them."""
        return self.wait_for(
            lambda: self._enough(chat_id, count), timeout, f"{count} message(s) to chat {chat_id}"
        )

    # The timeout parameter mirrors the sync wait_for, hence the ASYNC109 waivers.
    async def wait_for_async(
        self,
        predicate: Callable[[], T],
        timeout: float = 5.0,  # noqa: ASYNC109
        description: str = "condition",
    ) -> T:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = asyncio.Event()
            waiter = (loop, event)
            with self._cond:
                value = predicate()
                if value:
                    return value
                self._async_waiters.add(waiter)
            try:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise TimeoutError
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                raise AssertionError(self._timeout_message(description, timeout)) from None
            finally:
                with self._cond:
                    self._async_waiters.discard(waiter)

    async def wait_for_messages_async(
        self,
        chat_id: int,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[JSON]:
        return await self.wait_for_async(
            lambda: self._enough(chat_id, count), timeout, f"{count} message(s) to chat {chat_id}"
        )

    def _enough(self, chat_id: int, count: int) -> list[JSON]:
        sent = self.sent_messages(chat_id)
        return sent if len(sent) >= count else []

    def _timeout_message(self, description: str, timeout: float) -> str:
        return f"Timed out after {timeout}s waiting for {description}.\n{self.describe()}"

    def _changed(self) -> None:
        """Wake every waiter; caller holds the lock."""
        self._cond.notify_all()
        for loop, event in list(self._async_waiters):
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:  # that test's loop is already closed
                self._async_waiters.discard((loop, event))

    def _record(self, call: RecordedCall) -> None:
        with self._cond:
            self._calls.append(call)
            if call.status == 429:
                self._http_429 += 1
            self._changed()
        if self._on_call is not None:
            self._on_call(call)

    # ------------------------------------------------------------------ fault injection

    def inject(self, method: str, *faults: Fault) -> None:
        """Queue faults for a method; each call consumes the next one."""
        with self._cond:
            self._method_faults.setdefault(method.lower(), collections.deque()).extend(faults)

    def inject_for_chat(self, chat_id: ChatKey, fault: Fault, times: int = 1) -> None:
        """Queue a fault for the next `times` calls of any method aimed at chat_id."""
        with self._cond:
            self._chat_faults.setdefault(chat_id, collections.deque()).extend([fault] * times)

    def block_user(self, chat_id: ChatKey) -> None:
        """Every send/edit to this chat answers 403 until unblock_user."""
        with self._cond:
            self._blocked.add(chat_id)

    def unblock_user(self, chat_id: ChatKey) -> None:
        with self._cond:
            self._blocked.discard(chat_id)

    def _take_fault(self, method: str, chat_id: ChatKey | None) -> Fault | None:
        with self._cond:
            for queue in (
                self._method_faults.get(method.lower()),
                None if chat_id is None else self._chat_faults.get(chat_id),
            ):
                if queue:
                    return queue.popleft()
            return None

    # ------------------------------------------------------------------ injecting updates

    @property
    def webhook(self) -> JSON:
        """What setWebhook set: url, allowed_updates and (unlike getWebhookInfo) secret_token."""
        with self._cond:
            return {**copy.deepcopy(self._webhook), "secret_token": self._webhook_secret}

    def route_webhook(self, *targets: str, fan_out: bool = False) -> None:
        """Deliver pushed updates by POSTing them to the bot's webhook, as Telegram does once
        setWebhook was called. Targets are local base URLs (http://127.0.0.1:PORT) standing for
        the public host; each update goes to the next target in turn, or with fan_out to every
        target, like a retry that reaches a second process behind a load balancer."""
        with self._cond:
            self._webhook_targets = list(targets)
            self._fan_out = fan_out

    def push_update(self, update: JSON) -> JSON:
        """Queue an update for getUpdates (update_id assigned unless given); returns it.

        With route_webhook and a webhook set, the update is POSTed to the bot instead: this
        returns once the bot answered 200, i.e. once the update is safely stored.
        """
        update = copy.deepcopy(update)
        with self._cond:
            if "update_id" not in update:
                update["update_id"] = self._next_update_id
            self._next_update_id = max(self._next_update_id, int(update["update_id"]) + 1)
            self._learn(update)
            targets, url = self._webhook_targets, str(self._webhook["url"])
            if targets and url:
                self._pushed += 1
                turn = next(self._deliveries)
                chosen = targets if self._fan_out else [targets[turn % len(targets)]]
                secret = self._webhook_secret
        if targets and url:
            for target in chosen:
                hook.deliver(target, url, update, secret)
            return copy.deepcopy(update)
        with self._cond:
            self._updates.append(update)
            self._updates.sort(key=lambda u: int(u["update_id"]))
            self._pushed += 1
            self._changed()
        loop = self._loop
        if loop is not None:
            # RuntimeError: the server already stopped, so nobody is polling.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._wake_pollers)
        return copy.deepcopy(update)

    def send_text(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str = "Test",
        language_code: str = f.DEFAULT_LANGUAGE,
        chat_type: str = "private",
    ) -> JSON:
        user = f.make_user(user_id, first_name, language_code)
        chat = f.make_chat(user_id, chat_type, first_name=first_name)
        msg = f.make_message(text, user, chat, self._allocate_message_id(user_id))
        return self.push_update({"message": msg})

    def group_text(
        self,
        user_id: int,
        chat_id: int,
        text: str,
        *,
        title: str = "Test Group",
        first_name: str = "Test",
        language_code: str = f.DEFAULT_LANGUAGE,
        chat_type: str = "group",
    ) -> JSON:
        user = f.make_user(user_id, first_name, language_code)
        chat = f.make_chat(chat_id, chat_type, title=title)
        msg = f.make_message(text, user, chat, self._allocate_message_id(chat_id))
        return self.push_update({"message": msg})

    def channel_post(self, chat_id: int, text: str, *, title: str = "Test Channel") -> JSON:
        chat = f.make_chat(chat_id, "channel", title=title)
        msg = f.make_message(text, None, chat, self._allocate_message_id(chat_id))
        del msg["from"]  # channel posts are signed by the chat, not a user
        msg["sender_chat"] = chat
        return self.push_update({"channel_post": msg})

    def edit_text(self, user_id: int, message_id: int, text: str) -> JSON:
        """The user edits one of their earlier messages (an edited_message update)."""
        with self._cond:
            old = copy.deepcopy(self._messages.get((user_id, message_id)))
        if old is None:
            old = f.make_message(text, f.make_user(user_id), message_id=message_id)
        old.pop("entities", None)
        msg = {**old, "text": text, "edit_date": int(time.time())}
        if entities := f.command_entities(text):
            msg["entities"] = entities
        return self.push_update({"edited_message": msg})

    def send_sticker(self, user_id: int, **kw: Any) -> JSON:
        return self._push_media(f.make_sticker_message, user_id, **kw)

    def send_photo(self, user_id: int, **kw: Any) -> JSON:
        return self._push_media(f.make_photo_message, user_id, **kw)

    def send_voice(self, user_id: int, **kw: Any) -> JSON:
        return self._push_media(f.make_voice_message, user_id, **kw)

    def send_document(self, user_id: int, **kw: Any) -> JSON:
        return self._push_media(f.make_document_message, user_id, **kw)

    def press_button(
        self,
        user_id: int,
        message: JSON | int,
        callback_data: str,
        *,
        first_name: str = "Test",
        language_code: str = f.DEFAULT_LANGUAGE,
        strict: bool = True,
    ) -> JSON:
        """The user taps an inline button of a bot message (dict from sent_messages, or id).

        The update carries the message as it is now. With strict, the button must exist
        on that message, so a test cannot press what the user could not see.
        """
        with self._cond:
            if isinstance(message, int):
                key = (user_id, message)
            else:
                key = (int(message["chat"]["id"]), int(message["message_id"]))
            current = copy.deepcopy(self._messages.get(key))
            deleted = key in self._deleted
        if current is None:
            if isinstance(message, int) or strict:
                raise AssertionError(f"press_button: no message {key[1]} in chat {key[0]}")
            current = copy.deepcopy(message)
        if strict:
            offered = [b.get("callback_data") for b in _inline_buttons(current.get("reply_markup"))]
            if deleted or callback_data not in offered:
                raise AssertionError(
                    f"press_button: message {key[1]} in chat {key[0]} "
                    f"{'was deleted' if deleted else 'has no such button'}; "
                    f"wanted {callback_data!r}, buttons: {offered!r}"
                )
        user = f.make_user(user_id, first_name, language_code)
        query = f.make_callback_query(user, current, callback_data)
        return self.push_update({"callback_query": query})

    def _push_media(self, build: Callable[..., JSON], user_id: int, **kw: Any) -> JSON:
        user = f.make_user(
            user_id, kw.pop("first_name", "Test"), kw.pop("language_code", f.DEFAULT_LANGUAGE)
        )
        msg = build(user, None, self._allocate_message_id(user_id), **kw)
        return self.push_update({"message": msg})

    def _allocate_message_id(self, chat_id: int) -> int:
        # User and bot messages share one id sequence per chat, as in real private chats.
        with self._cond:
            self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
            return self._last_message_id[chat_id]

    def _learn(self, update: JSON) -> None:
        """Remember chats, messages, files and queries an update introduces (lock held)."""
        for key in ("message", "edited_message", "channel_post", "edited_channel_post"):
            msg = update.get(key)
            if not isinstance(msg, dict) or "chat" not in msg:
                continue
            chat_id = int(msg["chat"]["id"])
            self._chats[chat_id] = {**self._chats.get(chat_id, {}), **msg["chat"]}
            mid = int(msg.get("message_id", 0))
            self._last_message_id[chat_id] = max(self._last_message_id.get(chat_id, 0), mid)
            self._messages[(chat_id, mid)] = copy.deepcopy(msg)
            for kind in ("document", "voice", "sticker"):
                if isinstance(msg.get(kind), dict):
                    self._files.setdefault(msg[kind]["file_id"], (msg[kind], None))
            for size in msg.get("photo") or []:
                self._files.setdefault(size["file_id"], (size, None))
        query = update.get("callback_query")
        if isinstance(query, dict) and "id" in query:
            self._open_queries.add(str(query["id"]))

    # ------------------------------------------------------------------ HTTP

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        arrived = time.monotonic()
        name = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return self._reply(
                RecordedCall(name, {}, arrived, None, None, 0), ApiError(401, "Unauthorized")
            )
        handler = self._handlers.get(name.lower())
        if handler is None:
            return self._reply(
                RecordedCall(name, {}, arrived, None, None, 0), ApiError(404, "Not Found")
            )
        method, serve = handler
        call = RecordedCall(method, {}, arrived, None, None, 0)
        try:
            call.params, call.files = await self._read_params(request)
        except ApiError as exc:
            return self._reply(call, exc)
        call.chat_id = _find_chat_id(call.params)
        call.fault = self._take_fault(method, call.chat_id)
        if call.fault is not None:
            early = await self._apply_fault(call, request)
            if early is not None:
                return early
        try:
            if serve is None:
                result = await self._get_updates(call.params)
            else:
                with self._cond:
                    self._gate(method, call.chat_id)
                    result = serve(call.params)
        except ApiError as exc:
            return self._reply(call, exc)
        return self._reply(call, {"ok": True, "result": result})

    async def _apply_fault(
        self, call: RecordedCall, request: web.Request
    ) -> web.StreamResponse | None:
        fault = call.fault
        assert fault is not None
        if fault.kind == "delay":
            await asyncio.sleep(fault.seconds)
            return None  # then served normally
        if fault.kind == "drop":
            self._record(call)
            if request.transport is not None:
                request.transport.abort()
            # Nothing reaches the client; aiohttp notices the closed transport.
            raise asyncio.CancelledError
        if fault.kind == "retry_after":
            error = ApiError(
                429,
                f"Too Many Requests: retry after {int(fault.seconds)}",
                retry_after=int(fault.seconds),
            )
        elif fault.kind == "forbidden":
            error = ApiError(403, "Forbidden: bot was blocked by the user")
        else:
            error = ApiError(fault.code, _phrase(fault.code))
        return self._reply(call, error)

    def _reply(self, call: RecordedCall, outcome: JSON | ApiError) -> web.Response:
        body = outcome.body() if isinstance(outcome, ApiError) else outcome
        call.status = outcome.code if isinstance(outcome, ApiError) else 200
        call.response = copy.deepcopy(body)
        self._record(call)
        return web.json_response(body, status=call.status)

    async def _read_params(self, request: web.Request) -> tuple[JSON, dict[str, UploadedFile]]:
        raw: dict[str, Any] = dict(request.query)
        files: dict[str, UploadedFile] = {}
        if request.content_type == "application/json" and request.can_read_body:
            try:
                body = await request.json()
            except ValueError:
                raise bad_request("can't parse JSON") from None
            if not isinstance(body, dict):
                raise bad_request("can't parse JSON")
            raw.update(body)
        elif request.can_read_body:
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    files[key] = UploadedFile(
                        key, value.filename, value.content_type, value.file.read()
                    )
                elif isinstance(value, bytes):
                    raw[key] = value.decode("utf-8", "replace")
                else:
                    raw[key] = value
        params = {key: _coerce(key, value) for key, value in raw.items()}
        params.update(files)
        return params, files

    def _gate(self, method: str, chat_id: ChatKey | None) -> None:
        """Blocked users and rate limits (lock held)."""
        if chat_id is not None and chat_id in self._blocked and method in _CHAT_WRITE_METHODS:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if method not in _MESSAGE_METHODS:
            return
        now = time.monotonic()
        windows: list[tuple[collections.deque[float], float]] = []
        if self._global_rate is not None:
            windows.append((self._global_window, self._global_rate))
        if self._per_chat_rate is not None and chat_id is not None:
            windows.append(
                (self._chat_windows.setdefault(chat_id, collections.deque()), self._per_chat_rate)
            )
        for window, rate in windows:
            while window and window[0] <= now - 1.0:
                window.popleft()
            if len(window) >= rate:
                raise ApiError(429, "Too Many Requests: retry after 1", retry_after=1)
        for window, _ in windows:
            window.append(now)

    # ------------------------------------------------------------------ getUpdates

    def _wake_pollers(self) -> None:
        """Release every waiting long poll (runs in the server loop)."""
        if self._updates_event is not None:
            self._updates_event.set()
            self._updates_event = asyncio.Event()

    async def _get_updates(self, params: JSON) -> list[JSON]:
        with self._cond:
            if self._webhook["url"]:
                raise ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is "
                    "active; use deleteWebhook to delete the webhook first",
                )
        offset = params.get("offset") or 0
        limit = params.get("limit") or 100
        timeout = params.get("timeout") or 0
        if not all(isinstance(v, int) for v in (offset, limit, timeout)):
            raise bad_request("wrong parameter in getUpdates request")
        limit = min(max(limit, 1), 100)
        # A newer getUpdates ends an older one, as Telegram does for two running instances.
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake_pollers()
        with self._cond:
            # Calling with an offset confirms (forgets) everything before it.
            if offset > 0:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            elif offset < 0:
                self._updates = self._updates[offset:]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            with self._cond:
                ready = copy.deepcopy(
                    [u for u in self._updates if u["update_id"] >= offset][:limit]
                )
            remaining = deadline - loop.time()
            if ready or remaining <= 0 or self._closing:
                return ready
            event = self._updates_event
            assert event is not None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make "
                    "sure that only one bot instance is running",
                )

    # ------------------------------------------------------------------ methods (lock held)

    def _get_me(self, params: JSON) -> JSON:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _resolve_chat(self, raw: Any) -> JSON:
        if raw is None or raw == "":
            raise bad_request("chat_id is empty")
        if isinstance(raw, str):
            for chat in self._chats.values():
                if raw.startswith("@") and chat.get("username") == raw[1:]:
                    return copy.deepcopy(chat)
            raise bad_request("chat not found")
        if raw in self._chats:
            return copy.deepcopy(self._chats[raw])
        kind = "private" if raw > 0 else ("supergroup" if raw < -(10**12) else "group")
        return {"id": raw, "type": kind}

    def _format(
        self, text: Any, parse_mode: Any, entities: Any, limit: int, too_long: str
    ) -> tuple[str, list[JSON] | None]:
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        if isinstance(parse_mode, str) and parse_mode.lower() == "html":
            try:
                text, found = parse_html(text)
            except HTMLParseError as exc:
                raise bad_request(f"can't parse entities: {exc}") from None
            entities = found
        if len(text) > limit:
            raise bad_request(too_long)
        return text, entities or None

    def _new_message(self, params: JSON) -> JSON:
        """Common part of every send: chat, id, reply, markup (lock held)."""
        chat = self._resolve_chat(params.get("chat_id"))
        markup = _validate_markup(params.get("reply_markup"))
        msg: JSON = {
            "message_id": 0,
            "from": copy.deepcopy(self.bot_user),
            "chat": chat,
            "date": int(time.time()),
        }
        reply = params.get("reply_parameters")
        reply_to = (
            reply.get("message_id")
            if isinstance(reply, dict)
            else params.get("reply_to_message_id")
        )
        if reply_to is not None:
            target = self._messages.get((chat["id"], reply_to))
            if target is not None and (chat["id"], reply_to) not in self._deleted:
                msg["reply_to_message"] = {
                    k: v for k, v in target.items() if k != "reply_to_message"
                }
            elif not (
                params.get("allow_sending_without_reply")
                or (isinstance(reply, dict) and reply.get("allow_sending_without_reply"))
            ):
                raise bad_request("message to be replied not found")
        if markup is not None:
            msg["reply_markup"] = markup
        return msg

    def _store(self, msg: JSON) -> JSON:
        chat_id = int(msg["chat"]["id"])
        msg["message_id"] = self._allocate_message_id(chat_id)
        key = (chat_id, msg["message_id"])
        self._messages[key] = msg
        self._bot_sent.append(key)
        return copy.deepcopy(msg)

    def _send_message(self, params: JSON) -> JSON:
        raw = params.get("text")
        if not isinstance(raw, str) or not raw.strip():
            raise bad_request("message text is empty")
        text, entities = self._format(
            raw, params.get("parse_mode"), params.get("entities"), MAX_TEXT, "message is too long"
        )
        if not text.strip():
            raise bad_request("message text is empty")
        msg = self._new_message(params)
        msg["text"] = text
        if entities:
            msg["entities"] = entities
        return self._store(msg)

    def _with_caption(self, msg: JSON, params: JSON) -> None:
        if params.get("caption") in (None, ""):
            return
        caption, entities = self._format(
            params["caption"],
            params.get("parse_mode"),
            params.get("caption_entities"),
            MAX_CAPTION,
            "message caption is too long",
        )
        msg["caption"] = caption
        if entities:
            msg["caption_entities"] = entities

    def _take_upload(self, params: JSON, kind: str) -> tuple[JSON | None, UploadedFile | None]:
        """Resolve a document/photo param: an upload, attach://name, a URL or a file_id."""
        value = params.get(kind)
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value.removeprefix("attach://"))
        if isinstance(value, UploadedFile):
            if not value.data:
                raise bad_request("file must be non-empty")
            return None, value
        if not isinstance(value, str) or not value:
            raise bad_request(f"there is no {kind} in the request")
        if value in self._files:
            return copy.deepcopy(self._files[value][0]), None
        if urlparse(value).scheme in ("http", "https"):
            name = urlparse(value).path.rsplit("/", 1)[-1] or "file"
            return None, UploadedFile(kind, name, mimetypes.guess_type(name)[0] or "", b"")
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _new_file_id(self, prefix: str) -> tuple[str, str]:
        n = next(self._file_seq)
        return f"{prefix}-sent-{n:06d}", f"AgAD-sent-{n:06d}"

    def _send_document(self, params: JSON) -> JSON:
        known, upload = self._take_upload(params, "document")
        msg = self._new_message(params)
        if upload is not None:
            file_id, unique_id = self._new_file_id("BQAC")
            known = {
                "file_id": file_id,
                "file_unique_id": unique_id,
                "file_name": upload.filename,
                "mime_type": upload.content_type
                if upload.content_type not in ("", "application/octet-stream")
                else mimetypes.guess_type(upload.filename)[0] or "application/octet-stream",
                "file_size": len(upload.data),
            }
            self._files[file_id] = (known, upload.data)
        msg["document"] = known
        self._with_caption(msg, params)
        return self._store(msg)

    def _send_photo(self, params: JSON) -> JSON:
        known, upload = self._take_upload(params, "photo")
        msg = self._new_message(params)
        if upload is not None:
            sizes = []
            for width, height in ((90, 90), (320, 320)):
                file_id, unique_id = self._new_file_id("AgAC")
                sizes.append(
                    {
                        "file_id": file_id,
                        "file_unique_id": unique_id,
                        "width": width,
                        "height": height,
                        "file_size": len(upload.data),
                    }
                )
                self._files[file_id] = (sizes[-1], upload.data)
            msg["photo"] = sizes
        else:
            msg["photo"] = [known]
        self._with_caption(msg, params)
        return self._store(msg)

    def _editable(self, params: JSON) -> tuple[int, int] | None:
        """Key of the bot message an edit targets; None for inline messages."""
        if params.get("inline_message_id"):
            return None
        chat = self._resolve_chat(params.get("chat_id"))
        message_id = params.get("message_id")
        if not isinstance(message_id, int):
            raise bad_request("message identifier is not specified")
        key = (int(chat["id"]), message_id)
        if key not in self._messages or key in self._deleted:
            raise bad_request("message to edit not found")
        if self._messages[key].get("from", {}).get("id") != self.bot_user["id"]:
            raise bad_request("message can't be edited")
        return key

    def _apply_edit(self, key: tuple[int, int], changes: JSON) -> JSON:
        msg = self._messages[key]
        if all(msg.get(k) == v for k, v in changes.items()):
            raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        for k, v in changes.items():
            if v is None:
                msg.pop(k, None)
            else:
                msg[k] = v
        msg["edit_date"] = int(time.time())
        return copy.deepcopy(msg)

    def _edit_message_text(self, params: JSON) -> JSON | bool:
        raw = params.get("text")
        if not isinstance(raw, str) or not raw.strip():
            raise bad_request("text must be non-empty")
        text, entities = self._format(
            raw, params.get("parse_mode"), params.get("entities"), MAX_TEXT, "MESSAGE_TOO_LONG"
        )
        markup = _validate_markup(params.get("reply_markup"))
        key = self._editable(params)
        if key is None:
            return True
        if "text" not in self._messages[key]:
            raise bad_request("there is no text in the message to edit")
        # Omitting reply_markup removes the keyboard, exactly like Telegram.
        return self._apply_edit(key, {"text": text, "entities": entities, "reply_markup": markup})

    def _edit_message_reply_markup(self, params: JSON) -> JSON | bool:
        markup = _validate_markup(params.get("reply_markup"))
        key = self._editable(params)
        if key is None:
            return True
        return self._apply_edit(key, {"reply_markup": markup})

    def _delete_message(self, params: JSON) -> bool:
        chat = self._resolve_chat(params.get("chat_id"))
        key = (int(chat["id"]), params.get("message_id"))
        if not isinstance(key[1], int) or key not in self._messages or key in self._deleted:
            raise bad_request("message to delete not found")
        self._deleted.add((key[0], key[1]))
        return True

    def _answer_callback_query(self, params: JSON) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._open_queries:
            raise bad_request(QUERY_INVALID.removeprefix("Bad Request: "))
        if len(str(params.get("text") or "")) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        self._open_queries.discard(query_id)
        return True

    def _send_chat_action(self, params: JSON) -> bool:
        self._resolve_chat(params.get("chat_id"))
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    @staticmethod
    def _commands_key(scope: Any, language_code: Any) -> tuple[str, str]:
        scope = scope if isinstance(scope, dict) else {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(language_code or "")

    def _set_my_commands(self, params: JSON) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        for command in commands:
            name = command.get("command") if isinstance(command, dict) else None
            if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise bad_request("BOT_COMMAND_INVALID")
            description = command.get("description")
            if not isinstance(description, str) or not 1 <= len(description) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._commands_key(params.get("scope"), params.get("language_code"))
        self._commands[key] = copy.deepcopy(commands)
        return True

    def _get_my_commands(self, params: JSON) -> list[JSON]:
        key = self._commands_key(params.get("scope"), params.get("language_code"))
        return copy.deepcopy(self._commands.get(key, []))

    def _delete_my_commands(self, params: JSON) -> bool:
        self._commands.pop(
            self._commands_key(params.get("scope"), params.get("language_code")), None
        )
        return True

    def _set_webhook(self, params: JSON) -> bool:
        url = str(params.get("url") or "")
        if url and not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise bad_request("secret token contains unallowed characters")
        # Deliveries go where route_webhook says; getUpdates answers 409 while a URL is set.
        self._webhook = {"url": url}
        self._webhook_secret = None if secret is None else str(secret)
        if url and isinstance(params.get("allowed_updates"), list):
            self._webhook["allowed_updates"] = params["allowed_updates"]
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _delete_webhook(self, params: JSON) -> bool:
        self._webhook = {"url": ""}
        self._webhook_secret = None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _get_webhook_info(self, params: JSON) -> JSON:
        return {
            **self._webhook,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }


def _phrase(code: int) -> str:
    try:
        return http.HTTPStatus(code).phrase
    except ValueError:
        return "Error"


def _in_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


# ----------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> None:
    """Serve in the foreground; each stdin line is a text from --user-id ("!press ID DATA"
    presses a button). The bot's calls are printed as they arrive."""
    parser = argparse.ArgumentParser(prog="python -m tests.fake_telegram", description=main.__doc__)
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--token", default="123456:TEST-TOKEN")
    parser.add_argument("--user-id", type=int, default=f.DEFAULT_USER_ID)
    args = parser.parse_args(argv)

    def show(call: RecordedCall) -> None:
        if call.method != "getUpdates":
            text = call.params.get("text") or call.params.get("caption") or ""
            print(f"<- {call.method} chat={call.chat_id} {call.status} {text!r}", flush=True)

    with FakeTelegram(args.token, host=args.host, port=args.port, on_call=show) as tg:
        print(f"Fake Telegram at {tg.base_url}  (bot API: {tg.api_url}/METHOD)", flush=True)
        try:
            for line in sys.stdin:
                _cli_line(tg, args.user_id, line.strip())
            threading.Event().wait()  # stdin closed: keep serving until Ctrl-C
        except KeyboardInterrupt:
            pass


def _cli_line(tg: FakeTelegram, user_id: int, line: str) -> None:
    if not line:
        return
    if line.startswith("!press "):
        _, message_id, data = [*line.split(maxsplit=2), "", ""][:3]
        try:
            tg.press_button(user_id, int(message_id), data)
        except (AssertionError, ValueError) as exc:
            print(f"!! {exc}", flush=True)
        return
    tg.send_text(user_id, line)
