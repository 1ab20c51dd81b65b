"""Delivering updates to a bot's webhook the way Telegram does: HTTP POST with the secret header.

Telegram retries an update until the bot answers 2xx; the fake retries briefly (a process that is
still starting), then fails the test with the last status.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from urllib.parse import urlparse

from .factories import JSON

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def post(target: str, webhook_url: str, update: JSON, secret: str | None) -> int:
    """POST once to `target` (a local base URL standing for the public host); the HTTP status."""
    path = urlparse(webhook_url).path or "/"
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    request = urllib.request.Request(
        target.rstrip("/") + path, json.dumps(update).encode(), headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except (urllib.error.URLError, OSError):
        return 0  # nothing listening (yet)


def deliver(
    target: str, webhook_url: str, update: JSON, secret: str | None, patience: float = 10.0
) -> int:
    """POST until the bot answers 200 (as Telegram retries); AssertionError if it never does."""
    deadline = time.monotonic() + patience
    while True:
        status = post(target, webhook_url, update, secret)
        if status == 200:
            return status
        if time.monotonic() > deadline:
            raise AssertionError(f"webhook at {target} answered {status} to update {update}")
        time.sleep(0.1)
