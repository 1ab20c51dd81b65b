"""What dialog actions may do, bound to one unit of work (a session and the acting person)."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy.orm import Session

from bot.domain.access import Actor
from bot.storage.repos import audit, question_log, questions, turns


class Services:
    def __init__(
        self,
        session: Session,
        user_id: int,
        language: str,
        log_key: bytes = b"",
        actor: Actor | None = None,
        telegram_id: int = 0,
    ) -> None:
        self.session = session
        self.user_id = user_id
        self.language = language
        self._log_key = log_key
        self.actor = actor or Actor(user_id)
        self.telegram_id = telegram_id
        self.flags: set[str] = set()  # requests to the channel, e.g. "delete_trigger"

    @functools.cached_property
    def asker(self) -> str:
        """The keyed hash of the Telegram id that stands for this person in the question log.

        Worked out when a question is logged or looked up, not on every update."""
        return question_log.user_hash(self.telegram_id, self._log_key)

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

    def audit(
        self,
        action: str,
        object_type: str = "",
        object_id: int | None = None,
        school_id: int | None = None,
        **details: Any,
    ) -> None:
        audit.record(self.session, self.user_id, action, object_type, object_id, school_id, details)

    def refuse(self, what: str, object_type: str, object_id: int | None) -> None:
        """A refusal changes nothing but is written down."""
        self.audit("access.denied", object_type, object_id, attempted=what)
