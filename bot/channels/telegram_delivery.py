"""Turns replies into Bot API calls in the outbox, in the same transaction as their effects."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.channels.render import Rendered, Renderer
from bot.channels.sender import CLEANUP, FILE_FIELD, FILE_KIND
from bot.core.engine import Turn
from bot.core.events import Event, EventKind
from bot.storage.repos import outbox

PARSE_MODE = "HTML"


def markup(rendered: Rendered) -> dict[str, Any] | None:
    if not rendered.buttons:
        return None
    rows = [[{"text": b.label, "callback_data": b.data} for b in row] for row in rendered.buttons]
    return {"inline_keyboard": rows}


def calls_for(turn: Turn, event: Event) -> list[tuple[str, dict[str, Any]]]:
    """The Bot API calls that show this turn to the person, in order."""
    chat = event.chat_id
    calls: list[tuple[str, dict[str, Any]]] = []
    if event.kind == EventKind.BUTTON and event.callback_id:
        calls.append(("answerCallbackQuery", {"callback_query_id": event.callback_id}))
    if "delete_trigger" in turn.flags and event.kind != EventKind.BUTTON and event.message_id:
        # The message held a secret (an invitation token): take it out of the chat.
        calls.append(("deleteMessage", {"chat_id": chat, "message_id": event.message_id}))
    for reply in turn.replies:
        rendered = Renderer(reply.language or turn.language).html(reply)
        target = reply.chat_id if reply.chat_id is not None else chat
        base: dict[str, Any] = {"chat_id": target, "parse_mode": PARSE_MODE}
        if reply.protect:
            base["protect_content"] = True
        keyboard = markup(rendered)
        last = len(rendered.chunks) - 1
        for i, chunk in enumerate(rendered.chunks):
            payload = {**base, "text": chunk, "link_preview_options": {"is_disabled": True}}
            if i == last and keyboard:
                payload["reply_markup"] = keyboard
            if reply.edit and event.message_id and last == 0 and target == chat:
                calls.append(("editMessageText", {**payload, "message_id": event.message_id}))
            else:
                calls.append(("sendMessage", payload))
        if reply.document:
            upload = {**base, FILE_FIELD: reply.document, FILE_KIND: "document"}
            if "cleanup_document" in turn.flags:
                upload[CLEANUP] = True
            calls.append(("sendDocument", upload))
        if reply.photo:
            calls.append(("sendPhoto", {**base, FILE_FIELD: reply.photo, FILE_KIND: "photo"}))
    return calls


def deliver_to_outbox(session: Session, turn: Turn, event: Event) -> None:
    calls = calls_for(turn, event)
    outbox.add_many(session, [(int(p.get("chat_id", event.chat_id)), m, p) for m, p in calls])
