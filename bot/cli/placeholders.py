"""Commands whose capability lands with a later issue: each says so and exits non-zero."""

from __future__ import annotations

import argparse

from bot.cli.common import not_yet


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    admin = sub.add_parser("admin", help="administration: invitations")
    asub = admin.add_subparsers(dest="admin_command", required=True, metavar="ACTION")
    inv = asub.add_parser("invite", help="print an invitation link and token")
    inv.add_argument("--role", required=True)
    inv.add_argument("--school", required=True)
    inv.add_argument("--pupil", type=int)
    admin.set_defaults(
        handler=lambda a: not_yet("admin invite", "the people and access issue (#6)")
    )

    rem = sub.add_parser("reminders", help="reminders: process what is due")
    rsub = rem.add_subparsers(dest="reminders_command", required=True, metavar="ACTION")
    once = rsub.add_parser("run-once", help="process the reminders due at a moment")
    once.add_argument("--now", help="ISO time to treat as now")
    rem.set_defaults(handler=lambda a: not_yet("reminders", "the reminders issue (#8)"))
