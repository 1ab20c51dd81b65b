"""What dialog actions may do, bound to one unit of work (a session and the acting user)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.storage.repos import question_log, questions, turns


class Services:
    def __init__(self, session: Session, user_id: int, language: str, asker: str = "") -> None:
        self.session = session
        self.user_id = user_id
        self.language = language
        self.asker = asker  # keyed hash of the Telegram id, for the question log

    def set_language(self, language: str) -> None:
        turns.set_language(self.session, self.user_id, language)
        self.language = language

    def store_school_question(self, school_id: int | None, school_hint: str, text: str) -> int:
        return questions.add(
            self.session, self.user_id, school_id, school_hint, text, self.language
        )

    def log_question(self, text: str, ids: list[str], scores: list[float], band: str) -> int:
        return question_log.add(self.session, self.asker, self.language, text, ids, scores, band)

    def question_feedback(self, log_id: int, feedback: str) -> bool:
        return question_log.set_feedback(self.session, log_id, self.asker, feedback)

    def own_question(self, log_id: int) -> str | None:
        row = question_log.get_own(self.session, log_id, self.asker)
        return row.text if row is not None else None
