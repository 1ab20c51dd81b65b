"""`python -m bot admin genkey` and `python -m bot db rotate-key`: encryption keys.

Rotation: generate a new key, set ENCRYPTION_KEY=new,old and restart, run `db rotate-key`, then set
ENCRYPTION_KEY=new. Leaving the SQLite key file works the same: old = the file's content.
"""

from __future__ import annotations

import argparse

from cryptography.fernet import Fernet
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.cli.common import EXIT_OK, EXIT_USAGE, fail, settings_or_exit
from bot.storage import crypto, urls
from bot.storage.database import Database
from bot.storage.keys import KeyConfigError, load_keys
from bot.storage.models import Base


def register_admin_key_commands(
    admin_subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    p = admin_subparsers.add_parser("genkey", help="print a new key for ENCRYPTION_KEY")
    p.set_defaults(handler=genkey)


def register_db_key_commands(
    db_subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    p = db_subparsers.add_parser(
        "rotate-key", help="re-encrypt sensitive text with the first key of ENCRYPTION_KEY"
    )
    p.set_defaults(handler=rotate_key)


def genkey(args: argparse.Namespace) -> int:
    print(Fernet.generate_key().decode("ascii"))
    return EXIT_OK


def rotate_key(args: argparse.Namespace) -> int:
    settings = settings_or_exit()
    try:
        crypto.configure(load_keys(settings))
    except KeyConfigError as exc:
        fail(str(exc), EXIT_USAGE)
    columns = crypto.encrypted_columns(Base.metadata)
    db = Database(settings.database_url)
    try:
        count = db.run_blocking(lambda session: crypto.rotate(session, columns))
    except crypto.DecryptionError as exc:
        fail(f"{exc} Nothing was changed; add the old key after the new one in ENCRYPTION_KEY.")
    except (OperationalError, DBAPIError, OSError) as exc:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0][:200]
        fail(f"Cannot reach the database at {urls.safe(settings.database_url)}: {reason}")
    print(f"Re-encrypted {count} value(s) in {len(columns)} encrypted column(s).")
    return EXIT_OK
