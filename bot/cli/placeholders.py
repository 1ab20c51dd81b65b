"""Commands whose capability lands with a later issue: each says so and exits non-zero."""

from __future__ import annotations

import argparse

from bot.cli.common import not_yet


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rem = sub.add_parser("reminders", help="reminders: process what is due")
    rsub = rem.add_subparsers(dest="reminders_command", required=True, metavar="ACTION")
    once = rsub.add_parser("run-once", help="process the reminders due at a moment")
    once.add_argument("--now", help="ISO time to treat as now")
    rem.set_defaults(handler=lambda a: not_yet("reminders", "the reminders issue (#8)"))
