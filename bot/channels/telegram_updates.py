"""Facts about raw Bot API updates that the inbox needs before any framework parses them."""

from __future__ import annotations

from typing import Any

# What the bot asks Telegram for (getUpdates and setWebhook).
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "channel_post", "my_chat_member"]


def chat_of(update: dict[str, Any]) -> int | None:
    """The chat an update belongs to: updates of one chat are processed one at a time, in order."""
    for key in (
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "my_chat_member",
    ):
        body = update.get(key)
        if isinstance(body, dict) and isinstance(body.get("chat"), dict):
            chat_id = body["chat"].get("id")
            return chat_id if isinstance(chat_id, int) else None
    query = update.get("callback_query")
    if isinstance(query, dict):
        message = query.get("message")
        if isinstance(message, dict) and isinstance(message.get("chat"), dict):
            chat_id = message["chat"].get("id")
            return chat_id if isinstance(chat_id, int) else None
        sender = query.get("from")
        if isinstance(sender, dict) and isinstance(sender.get("id"), int):
            return int(sender["id"])
    return None
