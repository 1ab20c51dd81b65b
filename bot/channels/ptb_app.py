"""The python-telegram-bot 22 adapter: the same core events as aiogram_app, through PTB handlers.

PTB only parses and dispatches here. Receiving is our inbox poller (PTB's Updater keeps its queue
in memory and loses it on a kill) and sending is our Sender, so PTB's bot is given a request
object that answers getMe locally and refuses every other call: PTB reaches no network at all.
"""

from __future__ import annotations

import json
from typing import Any, TypeAlias

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    ExtBot,
    JobQueue,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest, RequestData

from bot.app.processor import Processor
from bot.channels.telegram_delivery import deliver_to_outbox
from bot.channels.telegram_events import button_event, edit_event, message_event, still_reachable

Context: TypeAlias = ContextTypes.DEFAULT_TYPE
_Data: TypeAlias = dict[Any, Any]
PtbApplication: TypeAlias = Application[
    ExtBot[None], Context, _Data, _Data, _Data, JobQueue[Context]
]


class _NoNetwork(BaseRequest):
    """Answers getMe with what the runtime already knows; any other call is a bug, so it fails."""

    def __init__(self, me: dict[str, Any]) -> None:
        self._me = json.dumps({"ok": True, "result": me}).encode()

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        if url.endswith("/getMe"):
            return 200, self._me
        # The URL carries the token, so only the method name goes into the error.
        raise RuntimeError(f"PTB may not call {url.rsplit('/', 1)[-1]}: replies go via the outbox")


class _Handlers:
    """Parse → call: each PTB update becomes one core event for the processor."""

    def __init__(self, processor: Processor) -> None:
        self.processor = processor

    async def message(self, update: Update, _: Context) -> None:
        assert update.message is not None  # the handler's filter guarantees it
        event = message_event(update.message)
        await self.processor.handle(event, deliver_to_outbox, update_id=update.update_id)

    async def edit(self, update: Update, _: Context) -> None:
        assert update.edited_message is not None
        event = edit_event(update.edited_message)
        if event is None:
            await self.processor.skip(update.update_id)
            return
        await self.processor.handle(event, deliver_to_outbox, update_id=update.update_id)

    async def button(self, update: Update, _: Context) -> None:
        assert update.callback_query is not None
        event = button_event(update.callback_query)
        await self.processor.handle(event, deliver_to_outbox, update_id=update.update_id)

    async def membership(self, update: Update, _: Context) -> None:
        change = update.my_chat_member
        assert change is not None
        reachable = still_reachable(change.new_chat_member.status)
        await self.processor.note_reachability(change.from_user.id, reachable, update.update_id)

    async def other(self, update: Update, _: Context) -> None:
        # Channel posts and anything else no handler above took: seen, never retried.
        await self.processor.skip(update.update_id)


def build_application(
    processor: Processor, api_base: str, token: str, me: dict[str, Any]
) -> PtbApplication:
    """A PTB Application without an Updater, with one handler per update type."""
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{api_base.rstrip('/')}/bot")
        .base_file_url(f"{api_base.rstrip('/')}/file/bot")
        .request(_NoNetwork(me))
        .get_updates_request(_NoNetwork(me))
        .updater(None)
        .build()
    )
    on = _Handlers(processor)
    application.add_handlers(
        [
            MessageHandler(filters.UpdateType.MESSAGE, on.message),
            MessageHandler(filters.UpdateType.EDITED_MESSAGE, on.edit),
            CallbackQueryHandler(on.button),
            ChatMemberHandler(on.membership, ChatMemberHandler.MY_CHAT_MEMBER),
            TypeHandler(Update, on.other),  # last: only what nothing above took
        ]
    )
    return application


class PtbFeed:
    """Feeds stored raw updates through the PTB application; replies go to the outbox."""

    def __init__(self, application: PtbApplication) -> None:
        self._application = application
        self._failures: dict[int, Exception] = {}
        application.add_error_handler(self._remember)

    @classmethod
    async def open(cls, processor: Processor, api_base: str, token: str) -> PtbFeed:
        # PTB asks getMe at start; it is answered locally from the token, as nothing reads more.
        bot_id, _, _ = token.partition(":")
        me = {"id": int(bot_id) if bot_id.isdigit() else 0, "is_bot": True, "first_name": "bot"}
        feed = cls(build_application(processor, api_base, token, me))
        await feed._application.initialize()
        return feed

    async def __call__(self, update_id: int, payload: dict[str, Any]) -> None:
        update = Update.de_json(payload, self._application.bot)
        await self._application.process_update(update)
        # PTB hands handler errors to error handlers; raise it here so the inbox marks it failed.
        failure = self._failures.pop(update_id, None)
        if failure is not None:
            raise failure

    async def _remember(self, update: object, context: Context) -> None:
        if isinstance(update, Update) and context.error is not None:
            self._failures[update.update_id] = context.error

    async def close(self) -> None:
        await self._application.shutdown()
