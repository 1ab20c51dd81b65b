"""What the bot knows about itself: its Telegram username, for invitation links."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class BotIdentity:
    username: str | None = None  # set from getMe when the Telegram runtime starts

    def link(self, token: str) -> str:
        return f"https://t.me/{self.username or '<bot>'}?start={token}"
