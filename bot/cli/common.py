"""Shared CLI helpers: exit codes, settings loading and honest "not yet" answers."""

from __future__ import annotations

import sys
from typing import NoReturn

from bot.config import Settings, SettingsError, load_settings

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2  # bad settings or arguments
EXIT_NOT_YET = 3  # the capability has not landed yet


def fail(message: str, code: int = EXIT_FAILED) -> NoReturn:
    print(message, file=sys.stderr)
    raise SystemExit(code)


def settings_or_exit() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        fail(str(exc), EXIT_USAGE)


def not_yet(what: str, issue: str) -> NoReturn:
    """Say plainly that a command is not built yet instead of pretending to work."""
    fail(f"'{what}' is not available yet: it arrives with {issue}.", EXIT_NOT_YET)
