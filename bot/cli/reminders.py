"""`python -m bot reminders run-once [--now ISO-TIME]`: process what is due at that moment."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt

from bot.cli.common import EXIT_OK, EXIT_USAGE, fail, settings_or_exit


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rem = sub.add_parser("reminders", help="reminders: process what is due")
    rsub = rem.add_subparsers(dest="reminders_command", required=True, metavar="ACTION")
    once = rsub.add_parser("run-once", help="process the reminders due at a moment")
    once.add_argument("--now", help="ISO time to treat as now (default: the current time)")
    rem.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    settings = settings_or_exit()
    now = dt.datetime.now(dt.UTC)
    if args.now:
        try:
            now = dt.datetime.fromisoformat(args.now)
        except ValueError:
            fail(
                f"--now {args.now!r} is not an ISO time such as 2027-01-15T09:00+02:00", EXIT_USAGE
            )
        if now.tzinfo is None:
            now = now.replace(tzinfo=settings.tz)
    return asyncio.run(_run(settings, now))


async def _run(settings: object, now: dt.datetime) -> int:
    from bot.app.startup import open_app
    from bot.channels.telegram_delivery import deliver_to_outbox
    from bot.reminders.worker import run_once

    app = await open_app(settings)  # type: ignore[arg-type]
    try:
        outcome = await run_once(app.db, now, app.settings.tz, deliver_to_outbox, start=True)
    finally:
        await app.close()
    print(f"Created {outcome.created}, queued {outcome.sent}, held for quiet hours {outcome.held}.")
    return EXIT_OK
