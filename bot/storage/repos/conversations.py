"""Conversation cursors: where each user is in which dialog."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.storage.models import Conversation


def load(session: Session, user_id: int) -> Conversation | None:
    return session.get(Conversation, user_id)


def save(
    session: Session,
    user_id: int,
    chat_id: int,
    dialog: str,
    step: str,
    data: dict[str, Any],
    serial: int,
) -> None:
    row = session.get(Conversation, user_id)
    if row is None:
        row = Conversation(user_id=user_id, chat_id=chat_id)
        session.add(row)
    row.chat_id, row.dialog, row.step, row.data, row.serial = chat_id, dialog, step, data, serial
