"""Opens what every runtime needs: settings applied, schema migrated, content loaded, database."""

from __future__ import annotations

import asyncio
import gc
from dataclasses import dataclass

from bot import logs
from bot.app.build import build_engine
from bot.app.identity import BotIdentity
from bot.app.processor import Processor
from bot.cli.common import EXIT_FAILED, EXIT_USAGE, fail
from bot.config import Settings
from bot.core.engine import Engine
from bot.core.flows_loader import FlowError
from bot.i18n import set_timezone
from bot.knowledge import KnowledgeError
from bot.storage import crypto, migrate
from bot.storage.database import Database, DatabaseUnavailable
from bot.storage.keys import KeyConfigError, load_keys
from bot.storage.urls import key_file


@dataclass
class App:
    settings: Settings
    db: Database
    engine: Engine
    processor: Processor
    identity: BotIdentity

    async def close(self) -> None:
        await self.db.close()


async def open_app(settings: Settings) -> App:
    logs.setup(settings.log_level, settings.log_format)
    identity = BotIdentity()
    set_timezone(settings.tz)
    try:
        engine = build_engine(identity=identity, invite_ttl_days=settings.invite_ttl_days)
    except FlowError as exc:
        fail(f"The dialog files have errors:\n{exc}", EXIT_FAILED)
    except KnowledgeError as exc:
        fail(f"The knowledge base has an error: {exc}", EXIT_FAILED)
    try:
        crypto.configure(load_keys(settings, sqlite_key_path=key_file(settings.database_url)))
    except KeyConfigError as exc:
        fail(str(exc), EXIT_USAGE)
    db = Database(settings.database_url)
    try:
        await db.check()
        await asyncio.to_thread(migrate.upgrade_if_needed, settings.database_url)
    except DatabaseUnavailable as exc:
        await db.close()
        fail(str(exc), EXIT_FAILED)
    key = settings.encryption_key.get_secret_value() if settings.encryption_key else "pumpurs"
    processor = Processor(
        db,
        engine,
        default_language=settings.default_language,
        tz=settings.tz,
        log_key=key.encode(),
        admins=frozenset(settings.admin_telegram_ids),
    )
    settle_heap()
    return App(settings, db, engine, processor, identity)


def settle_heap() -> None:
    """Move what startup made (flows, knowledge base, search index, catalogues: kept for the
    process's life) out of the collector's sight. Otherwise every full collection walks these
    hundreds of thousands of objects again, inside whichever update happens to trigger it."""
    gc.collect()
    gc.freeze()
