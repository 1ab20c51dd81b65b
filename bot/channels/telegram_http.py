"""A minimal Bot API client over aiohttp, shared by the poller and the sender of both runtimes.

Requests go to `{TELEGRAM_API_BASE}/bot{token}/{method}`. The URL holds the token, so it is never
logged; errors carry only the method and Telegram's description.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aiohttp


class TelegramError(Exception):
    def __init__(self, method: str, description: str) -> None:
        super().__init__(f"{method}: {description}")
        self.method, self.description = method, description


class RetryAfter(TelegramError):
    def __init__(self, method: str, description: str, seconds: float) -> None:
        super().__init__(method, description)
        self.seconds = seconds


class Forbidden(TelegramError):
    """The person blocked the bot or deleted their account: final for that chat."""


class BadRequest(TelegramError):
    """Telegram refused the call itself; repeating it will not help."""


class Transient(TelegramError):
    """5xx, a dropped connection or a timeout: worth retrying."""


class Conflict(TelegramError):
    """Another getUpdates or a webhook is active for this token."""


class BotApi:
    def __init__(self, base: str, token: str, *, timeout: float = 30.0) -> None:
        self._prefix = f"{base.rstrip('/')}/bot{token}/"
        self._timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> BotApi:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=None, sock_connect=10)
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def call(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        *,
        wait: float | None = None,
        file_field: str | None = None,
        file_path: str | None = None,
    ) -> Any:
        """Make one call; return its `result` or raise one of the errors above."""
        limit = aiohttp.ClientTimeout(total=wait or self._timeout)
        try:
            if file_field and file_path:
                data = _multipart(params or {}, file_field, Path(file_path))
                response = await self._http().post(self._prefix + method, data=data, timeout=limit)
            else:
                response = await self._http().post(
                    self._prefix + method, json=params or {}, timeout=limit
                )
            async with response:
                body = await response.json(content_type=None)
                status = response.status
        except (aiohttp.ClientError, TimeoutError, json.JSONDecodeError, OSError) as exc:
            raise Transient(method, type(exc).__name__) from None
        if isinstance(body, dict) and body.get("ok"):
            return body.get("result")
        raise _error(method, status, body if isinstance(body, dict) else {})


def _error(method: str, status: int, body: dict[str, Any]) -> TelegramError:
    description = str(body.get("description", f"HTTP {status}"))[:200]
    code = int(body.get("error_code", status))
    if code == 429:
        seconds = float((body.get("parameters") or {}).get("retry_after", 1))
        return RetryAfter(method, description, seconds)
    if code == 403:
        return Forbidden(method, description)
    if code == 409:
        return Conflict(method, description)
    if code >= 500 or code in (0, 408):
        return Transient(method, description)
    return BadRequest(method, description)


def _multipart(params: dict[str, Any], field: str, path: Path) -> aiohttp.FormData:
    form = aiohttp.FormData()
    for key, value in params.items():
        form.add_field(key, value if isinstance(value, str) else json.dumps(value))
    form.add_field(field, path.read_bytes(), filename=path.name)
    return form
