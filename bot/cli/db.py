"""`python -m bot db ...`: schema migrations and housekeeping."""

from __future__ import annotations

import argparse
import datetime as dt

from sqlalchemy.exc import DBAPIError, OperationalError

from bot.cli.common import EXIT_OK, fail, settings_or_exit
from bot.cli.keys import register_db_key_commands
from bot.storage import migrate, urls
from bot.storage.database import Database
from bot.storage.repos import retention


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("db", help="database schema: upgrade, downgrade, current, purge")
    dsub = p.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    up = dsub.add_parser("upgrade", help="migrate the schema to the newest revision")
    up.add_argument("revision", nargs="?", default="head")
    down = dsub.add_parser("downgrade", help="migrate the schema back to REVISION (or base)")
    down.add_argument("revision")
    dsub.add_parser("current", help="print the schema revision of the database")
    dsub.add_parser("purge", help="delete closed plans older than the retention period")
    register_db_key_commands(dsub)
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    settings = settings_or_exit()
    url = settings.database_url
    try:
        if args.db_command == "upgrade":
            migrate.upgrade(url, args.revision)
            print(f"Database at {urls.safe(url)} is at revision {migrate.current_revision(url)}.")
        elif args.db_command == "downgrade":
            migrate.downgrade(url, args.revision)
            print(f"Database at {urls.safe(url)} is at revision {migrate.current_revision(url)}.")
        elif args.db_command == "current":
            current = migrate.current_revision(url)
            head = migrate.head_revision()
            state = "up to date" if current == head else f"behind (newest is {head})"
            print(f"{current or 'empty'} — {state}")
        else:
            migrate.upgrade_if_needed(url)
            now = dt.datetime.now(dt.UTC)
            done = Database(url).run_blocking(
                lambda s: retention.purge(s, now, settings.retention_years)
            )
            print(
                f"Purged {done.plans} closed plan(s) older than {settings.retention_years} "
                f"year(s) and {done.invitations} stale invitation(s)."
            )
    except (OperationalError, DBAPIError, OSError) as exc:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0][:200]
        fail(f"Cannot reach the database at {urls.safe(url)}: {reason}")
    return EXIT_OK
