"""Fake Telegram Bot API server and update factories for the bot's tests."""

from .factories import (
    DEFAULT_USER_ID,
    make_callback_query,
    make_chat,
    make_document_message,
    make_message,
    make_photo_message,
    make_sticker_message,
    make_update,
    make_user,
    make_voice_message,
)
from .server import (
    ApiError,
    FakeTelegram,
    Fault,
    HTMLParseError,
    RecordedCall,
    UploadedFile,
    parse_html,
)

__all__ = [
    "DEFAULT_USER_ID",
    "ApiError",
    "FakeTelegram",
    "Fault",
    "HTMLParseError",
    "RecordedCall",
    "UploadedFile",
    "make_callback_query",
    "make_chat",
    "make_document_message",
    "make_message",
    "make_photo_message",
    "make_sticker_message",
    "make_update",
    "make_user",
    "make_voice_message",
    "parse_html",
]
