"""The bot token never reaches the log, whichever library writes the record."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot import logs

TOKEN = "123456:TESTtoken_abcdefghijklmnopqrstu"
URL = f"https://api.telegram.org/bot{TOKEN}/getUpdates"


@pytest.fixture
def fresh_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    noisy = {
        name: logging.getLogger(name).level
        for name in ("httpx", "telegram", "telegram.ext", "aiosqlite", "sqlalchemy.engine")
    }
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, old in noisy.items():
        logging.getLogger(name).setLevel(old)


def test_request_urls_of_http_libraries_stay_out_of_the_log(
    fresh_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    logs.setup("DEBUG")
    for name in ("httpx", "telegram.Bot", "telegram.ext.Application"):
        logging.getLogger(name).info('HTTP Request: POST %s "HTTP/1.1 200 OK"', URL)
    assert capsys.readouterr().err == ""


def test_database_drivers_never_log_statement_parameters(
    fresh_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    logs.setup("DEBUG")
    for name in ("aiosqlite", "sqlalchemy.engine.Engine"):
        logging.getLogger(name).debug("executing %r with %r", "INSERT INTO pupils", ("Marta",))
    assert "Marta" not in capsys.readouterr().err


def test_a_token_in_a_message_or_traceback_is_masked(
    fresh_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    logs.setup("INFO")
    log = logging.getLogger("bot.test")
    log.warning("calling %s failed", URL)
    try:
        raise RuntimeError(f"The token `{TOKEN}` was rejected by the server.")
    except RuntimeError:
        log.exception("start-up failed")
    err = capsys.readouterr().err
    assert "calling https://api.telegram.org/bot<token>/getUpdates failed" in err
    assert "The token `<token>` was rejected" in err and "Traceback" in err
    assert TOKEN.split(":")[1] not in err
