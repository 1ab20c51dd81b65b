"""Builders for Bot API update payloads (plain dicts in Telegram's JSON shape)."""

from __future__ import annotations

import itertools
import re
import time
from typing import Any

JSON = dict[str, Any]

DEFAULT_USER_ID = 1001
DEFAULT_LANGUAGE = "lv"

# Telegram only marks "/word" (optionally "@botname") as a command, not any leading slash.
_COMMAND_RE = re.compile(r"^/[A-Za-z0-9_]{1,64}(@[A-Za-z0-9_]{3,32})?")

# Separate counters so ids stay unique within a test run without any coordination.
_message_ids = itertools.count(1_000_000)
_file_ids = itertools.count(1)
_query_ids = itertools.count(1)
_update_ids = itertools.count(1)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram uses for entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def _file_pair(prefix: str) -> tuple[str, str]:
    n = next(_file_ids)
    return f"{prefix}-fake-{n:06d}", f"AgAD-fake-{n:06d}"


def make_user(
    user_id: int,
    first_name: str = "Test",
    language_code: str = DEFAULT_LANGUAGE,
    *,
    last_name: str | None = None,
    username: str | None = None,
    is_bot: bool = False,
) -> JSON:
    user: JSON = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
    if last_name is not None:
        user["last_name"] = last_name
    if username is not None:
        user["username"] = username
    user["language_code"] = language_code
    return user


def make_chat(
    chat_id: int,
    type: str = "private",
    *,
    title: str | None = None,
    first_name: str = "Test",
    username: str | None = None,
) -> JSON:
    chat: JSON = {"id": chat_id, "type": type}
    if type == "private":
        chat["first_name"] = first_name
    else:
        chat["title"] = title or ("Test Channel" if type == "channel" else "Test Group")
    if username is not None:
        chat["username"] = username
    return chat


def private_chat_for(user: JSON) -> JSON:
    """The private chat Telegram creates between a user and the bot (chat id == user id)."""
    return make_chat(
        user["id"], "private", first_name=user["first_name"], username=user.get("username")
    )


def _base_message(
    user: JSON | None, chat: JSON | None, message_id: int | None, date: int | None
) -> JSON:
    sender = user if user is not None else make_user(DEFAULT_USER_ID)
    msg: JSON = {
        "message_id": message_id if message_id is not None else next(_message_ids),
        "from": sender,
        "chat": chat if chat is not None else private_chat_for(sender),
        "date": date if date is not None else int(time.time()),
    }
    return msg


def command_entities(text: str) -> list[JSON]:
    match = _COMMAND_RE.match(text)
    if match is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group(0))}]


def make_message(
    text: str,
    user: JSON | None = None,
    chat: JSON | None = None,
    message_id: int | None = None,
    *,
    date: int | None = None,
    entities: list[JSON] | None = None,
    **extra: Any,
) -> JSON:
    """A text message; a leading /command gets its bot_command entity like real clients send."""
    msg = _base_message(user, chat, message_id, date)
    msg["text"] = text
    found = entities if entities is not None else command_entities(text)
    if found:
        msg["entities"] = found
    msg.update(extra)
    return msg


def make_callback_query(
    user: JSON, message: JSON, data: str, *, query_id: str | None = None
) -> JSON:
    chat_id = int(message["chat"]["id"])
    return {
        "id": query_id if query_id is not None else f"{next(_query_ids):019d}",
        "from": user,
        "message": message,
        # Telegram derives chat_instance from the chat; any stable string per chat will do.
        "chat_instance": str(8_000_000_000_000 + abs(chat_id)),
        "data": data,
    }


def make_photo_message(
    user: JSON | None = None,
    chat: JSON | None = None,
    message_id: int | None = None,
    *,
    caption: str | None = None,
    date: int | None = None,
) -> JSON:
    msg = _base_message(user, chat, message_id, date)
    small_id, small_uid = _file_pair("AgAC")
    big_id, big_uid = _file_pair("AgAC")
    msg["photo"] = [
        {
            "file_id": small_id,
            "file_unique_id": small_uid,
            "width": 90,
            "height": 68,
            "file_size": 1_200,
        },
        {
            "file_id": big_id,
            "file_unique_id": big_uid,
            "width": 1280,
            "height": 960,
            "file_size": 98_000,
        },
    ]
    if caption is not None:
        msg["caption"] = caption
    return msg


def make_document_message(
    user: JSON | None = None,
    chat: JSON | None = None,
    message_id: int | None = None,
    *,
    file_name: str = "document.pdf",
    mime_type: str = "application/pdf",
    file_size: int = 12_345,
    caption: str | None = None,
    date: int | None = None,
) -> JSON:
    msg = _base_message(user, chat, message_id, date)
    file_id, unique_id = _file_pair("BQAC")
    msg["document"] = {
        "file_id": file_id,
        "file_unique_id": unique_id,
        "file_name": file_name,
        "mime_type": mime_type,
        "file_size": file_size,
    }
    if caption is not None:
        msg["caption"] = caption
    return msg


def make_voice_message(
    user: JSON | None = None,
    chat: JSON | None = None,
    message_id: int | None = None,
    *,
    duration: int = 3,
    date: int | None = None,
) -> JSON:
    msg = _base_message(user, chat, message_id, date)
    file_id, unique_id = _file_pair("AwAC")
    msg["voice"] = {
        "file_id": file_id,
        "file_unique_id": unique_id,
        "duration": duration,
        "mime_type": "audio/ogg",
        "file_size": 4_096 * duration,
    }
    return msg


def make_sticker_message(
    user: JSON | None = None,
    chat: JSON | None = None,
    message_id: int | None = None,
    *,
    emoji: str = "👍",
    date: int | None = None,
) -> JSON:
    msg = _base_message(user, chat, message_id, date)
    file_id, unique_id = _file_pair("CAAC")
    msg["sticker"] = {
        "file_id": file_id,
        "file_unique_id": unique_id,
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": emoji,
        "set_name": "FakeTestStickers",
        "file_size": 20_480,
    }
    return msg


def make_update(payload_key: str, payload: JSON, update_id: int | None = None) -> JSON:
    """Wrap a payload, e.g. make_update("message", make_message("hi"))."""
    return {
        "update_id": update_id if update_id is not None else next(_update_ids),
        payload_key: payload,
    }


def make_my_chat_member(
    user: JSON, new_status: str, old_status: str = "member", *, date: int | None = None
) -> JSON:
    """The bot's own membership in a private chat changed: "kicked" is the user blocking it."""
    bot_user: JSON = {"id": 123456, "is_bot": True, "first_name": "Pumpurs Test"}

    def member(status: str) -> JSON:
        state: JSON = {"user": bot_user, "status": status}
        if status == "kicked":
            state["until_date"] = 0
        return state

    return {
        "chat": private_chat_for(user),
        "from": user,
        "date": date if date is not None else int(time.time()),
        "old_chat_member": member(old_status),
        "new_chat_member": member(new_status),
    }
