"""What dialog actions may do, bound to one unit of work (a session and the acting user)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.storage.models import User
from bot.storage.repos import questions


class Services:
    def __init__(self, session: Session, user: User) -> None:
        self.session = session
        self.user = user

    def set_language(self, language: str) -> None:
        self.user.language = language

    def store_school_question(self, school_id: int | None, school_hint: str, text: str) -> int:
        return questions.add(
            self.session, self.user.id, school_id, school_hint, text, self.user.language or "lv"
        )
