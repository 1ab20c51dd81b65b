"""The sender's 403 hook: the coordinators' notices, queued as the person is marked unreachable."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.app.unreachable import unreachable_notices
from bot.channels.telegram_delivery import deliver_to_outbox
from bot.core.context import Cursor
from bot.core.engine import Turn
from bot.core.events import Event, EventKind


def tell_coordinators(session: Session, chat_id: int) -> None:
    notices = unreachable_notices(session, chat_id)
    if notices:
        turn = Turn(notices, Cursor(), notices[0].language or "lv")
        deliver_to_outbox(session, turn, Event(chat_id, chat_id, EventKind.TEXT))
