"""Settings from the environment and `.env`: the one validated settings object."""

from __future__ import annotations

import zoneinfo
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_SQLITE_URL = "sqlite+aiosqlite:///data/bot.db"

# How to fix each variable, shown with the error so the operator needs no docs to recover.
HINTS: dict[str, str] = {
    "BOT_TOKEN": "set it to the token BotFather gave you, e.g. 123456:ABC-DEF...",
    "DATABASE_URL": "use sqlite+aiosqlite:///path/to/file.db or postgresql+asyncpg://user@host/db",
    "TELEGRAM_API_BASE": "use an http(s) URL such as https://api.telegram.org",
    "BOT_FRAMEWORK": "use aiogram or ptb",
    "DEFAULT_LANGUAGE": "use lv or ru",
    "TIMEZONE": "use an IANA zone name such as Europe/Riga",
    "WEBHOOK_URL": "use the public https URL Telegram should call, or leave it empty for polling",
    "WEBHOOK_SECRET": "use 1-256 characters from A-Z, a-z, 0-9, _ and -",
    "WEBHOOK_LISTEN": "use host:port, e.g. 0.0.0.0:8080",
    "ENCRYPTION_KEY": "generate one with: python -m bot admin genkey",
    "ADMIN_TELEGRAM_IDS": "use comma-separated numeric Telegram ids, e.g. 12345,67890",
    "LOG_LEVEL": "use DEBUG, INFO, WARNING or ERROR",
    "LOG_FORMAT": "use text or json",
    "INVITE_TTL_DAYS": "use a whole number of days from 1 to 90",
    "RETENTION_YEARS": "use a whole number of years from 1 to 50",
}


class SettingsError(Exception):
    """A setting is missing or invalid; the message names the variable and the fix."""


class Settings(BaseSettings):
    """Every environment variable the bot reads (design.md lists them)."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    bot_token: SecretStr | None = None
    database_url: str = DEFAULT_SQLITE_URL
    telegram_api_base: str = "https://api.telegram.org"
    bot_framework: Literal["aiogram", "ptb"] = "aiogram"
    default_language: Literal["lv", "ru"] = "lv"
    timezone: str = "Europe/Riga"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "0.0.0.0:8080"
    encryption_key: SecretStr | None = None
    admin_telegram_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    invite_ttl_days: int = Field(default=7, ge=1, le=90)
    retention_years: int = Field(default=5, ge=1, le=50)

    @field_validator("bot_token", "webhook_secret", "encryption_key", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _empty_url_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            raw = value.get_secret_value()
            head, _, tail = raw.partition(":")
            if not head.isdigit() or not tail or any(c.isspace() for c in raw):
                raise ValueError("does not look like a bot token (digits:letters)")
        return value

    @field_validator("database_url")
    @classmethod
    def _db_scheme(cls, value: str) -> str:
        allowed = (
            "sqlite",
            "sqlite+aiosqlite",
            "sqlite+pysqlite",
            "postgresql",
            "postgresql+asyncpg",
        )
        scheme = value.split("://", 1)[0]
        if "://" not in value or scheme not in allowed:
            raise ValueError(f"unsupported database URL scheme {scheme!r}")
        return value

    @field_validator("telegram_api_base")
    @classmethod
    def _api_base(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_https(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("must be an http(s) URL")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_chars(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            raw = value.get_secret_value()
            if not 1 <= len(raw) <= 256 or not all(c.isalnum() or c in "_-" for c in raw):
                raise ValueError("has characters Telegram does not allow")
        return value

    @field_validator("webhook_listen")
    @classmethod
    def _listen(cls, value: str) -> str:
        host, sep, port = value.rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError("must be host:port")
        return value

    @field_validator("admin_telegram_ids", mode="before")
    @classmethod
    def _ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            if not all(p.lstrip("-").isdigit() for p in parts):
                raise ValueError("must be comma-separated numbers")
            return [int(p) for p in parts]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def listen_host_port(self) -> tuple[str, int]:
        host, _, port = self.webhook_listen.rpartition(":")
        return host, int(port)

    @property
    def listen_chosen(self) -> bool:
        """WEBHOOK_LISTEN came from the environment or .env: polling serves the probes there too."""
        # The default is not in model_fields_set, so a bare `python -m bot run` opens no port.
        return "webhook_listen" in self.model_fields_set

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings(env_file: str | Path | None = ".env") -> Settings:
    """Load settings, turning validation errors into one line per bad variable."""
    try:
        return Settings(_env_file=env_file)  # type: ignore[call-arg]
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            name = str(error["loc"][0]).upper() if error["loc"] else "SETTINGS"
            reason = str(error["msg"]).removeprefix("Value error, ")
            hint = HINTS.get(name, "check its value")
            lines.append(f"Invalid setting {name}: {reason}; {hint}.")
        raise SettingsError("\n".join(lines)) from None
