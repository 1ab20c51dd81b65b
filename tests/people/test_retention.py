"""Retention: `db purge` deletes closed plans past the period and nothing else."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import select

from bot.storage.database import Database
from bot.storage.models import Plan
from bot.storage.repos import schools
from tests.console_run import run_cli

OLD = dt.datetime(2019, 6, 1, tzinfo=dt.UTC)


def test_purge_removes_only_old_closed_plans(db_url: str) -> None:
    async def seed() -> None:
        db = Database(db_url)

        def unit(s: object) -> None:
            school, _ = schools.find_or_create_school(s, "Siguldas skola")  # type: ignore[arg-type]
            pupil = schools.add_pupil(s, school.id, "Anna", "6.a", 0)  # type: ignore[arg-type]
            for status, when in (
                ("closed", OLD),
                ("inactive", OLD),
                ("approved", OLD),
                ("closed", dt.datetime.now(dt.UTC)),
            ):
                s.add(
                    Plan(
                        school_id=school.id,
                        pupil_id=pupil.id,
                        status=status,  # type: ignore[attr-defined]
                        semester="2018/19-2",
                        updated_at=when,
                        created_at=when,
                    )
                )

        await db.run(unit)
        await db.close()

    asyncio.run(seed())
    result = run_cli(db_url, "db", "purge")
    assert result.returncode == 0, result.stderr
    assert "Purged 2 closed plan(s) older than 5 year(s)" in result.stdout

    async def left() -> list[str]:
        db = Database(db_url)
        try:
            return await db.run(lambda s: sorted(s.execute(select(Plan.status)).scalars()))
        finally:
            await db.close()

    assert asyncio.run(left()) == ["approved", "closed"]
