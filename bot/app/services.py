"""What dialog actions may do, bound to one unit of work (a session and the acting user)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.storage.repos import questions, turns


class Services:
    def __init__(self, session: Session, user_id: int, language: str) -> None:
        self.session = session
        self.user_id = user_id
        self.language = language

    def set_language(self, language: str) -> None:
        turns.set_language(self.session, self.user_id, language)
        self.language = language

    def store_school_question(self, school_id: int | None, school_hint: str, text: str) -> int:
        return questions.add(
            self.session, self.user_id, school_id, school_hint, text, self.language
        )
