"""`python -m bot admin invite ...` and `admin genkey`."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt

from sqlalchemy.orm import Session

from bot.app.identity import BotIdentity
from bot.cli.common import EXIT_OK, EXIT_USAGE, fail, settings_or_exit
from bot.cli.keys import register_admin_key_commands
from bot.config import Settings
from bot.domain.roles import Role, parse_role
from bot.storage import migrate
from bot.storage.database import Database
from bot.storage.repos import audit, invitations, schools


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    admin = sub.add_parser("admin", help="administration: invitations, keys")
    asub = admin.add_subparsers(dest="admin_command", required=True, metavar="ACTION")
    inv = asub.add_parser("invite", help="print an invitation link and token")
    inv.add_argument("--role", required=True, help="coordinator, head, teacher, specialist, ...")
    inv.add_argument("--school", required=True, help="school name (created if new)")
    inv.add_argument("--pupil", type=int, help="pupil id, for a parent's invitation")
    inv.add_argument("--municipality", default="", help="for a new school")
    inv.add_argument("--kind", choices=("general", "vocational"), default="general")
    inv.set_defaults(handler=invite)
    register_admin_key_commands(asub)


def invite(args: argparse.Namespace) -> int:
    settings = settings_or_exit()
    role = parse_role(args.role)
    if role is None or role == Role.GUEST:
        names = ", ".join(r.value for r in Role if r != Role.GUEST)
        fail(f"Unknown role {args.role!r}. Use one of: {names}.", EXIT_USAGE)
    if role == Role.PARENT and args.pupil is None:
        fail("A parent's invitation needs --pupil ID (the child's id).", EXIT_USAGE)
    migrate.upgrade_if_needed(settings.database_url)

    def unit(session: Session) -> tuple[str, str]:
        school, created = schools.find_or_create_school(
            session, args.school, args.municipality, args.kind
        )
        if args.pupil is not None:
            pupil = schools.pupil(session, args.pupil)
            if pupil is None or pupil.school_id != school.id:
                raise LookupError(f"No pupil {args.pupil} at {school.name}.")
        ttl = dt.timedelta(days=settings.invite_ttl_days)
        token = invitations.create(session, role.value, school.id, args.pupil, None, ttl)
        audit.record(
            session,
            None,
            "invitation.create",
            "school",
            school.id,
            school.id,
            {"role": role.value, "by": "cli", "school_created": created},
        )
        return token, school.name

    try:
        token, school_name = Database(settings.database_url).run_blocking(unit)
    except LookupError as exc:
        fail(str(exc), EXIT_USAGE)
    identity = BotIdentity(asyncio.run(_username(settings)))
    print(f"Invitation: {role.value} at {school_name}, valid {settings.invite_ttl_days} days.")
    print(f"Link:  {identity.link(token)}")
    print(f"Token: {token}")
    print(f"Anyone can also type: /start {token}")
    return EXIT_OK


async def _username(settings: Settings) -> str | None:
    """The bot's @username from getMe, when a token is configured and Telegram answers."""
    if settings.bot_token is None:
        return None
    from bot.channels.telegram_http import BotApi, TelegramError

    async with BotApi(settings.telegram_api_base, settings.bot_token.get_secret_value()) as api:
        try:
            me = await api.call("getMe", wait=10)
        except TelegramError:
            return None
    return str(me.get("username")) if isinstance(me, dict) else None
