"""The dashboard chart in the viewer's language, drawn once per distinct set of figures."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import time
import uuid
from pathlib import Path

from bot.app.plans.common import label
from bot.domain.figures import Summary
from bot.domain.plans import Status
from bot.exports.chart import Chart, Panel, draw_chart
from bot.i18n import translator
from bot.knowledge import Catalogue
from bot.storage.offload import run_blocking

KEEP_SECONDS = 24 * 3600


def chart_for(
    summary: Summary,
    weeks: list[tuple[dt.date, int]],
    title: str,
    catalogue: Catalogue,
    lang: str,
) -> Chart:
    t = translator(lang).text
    statuses = [s.value for s in Status]
    return Chart(
        title=title,
        by_status=Panel(
            t("dashboard.chart.by_status"),
            tuple(t(f"plan.status.{s}") for s in statuses),
            tuple(summary.by_status.get(s, 0) for s in statuses),
        ),
        by_risk_group=Panel(
            t("dashboard.chart.by_risk_group"),
            tuple(label(g.label, lang) for g in catalogue.groups),
            tuple(summary.risk_groups.get(g.code, 0) for g in catalogue.groups),
        ),
        overdue_weeks=Panel(
            t("dashboard.chart.overdue_weeks"),
            tuple(day.strftime("%d.%m") for day, _ in weeks),
            tuple(n for _, n in weeks),
        ),
        empty=t("dashboard.chart.empty"),
    )


def picture(chart: Chart, folder: Path) -> Path:
    """The PNG of `chart`: the same figures in the same language reuse one file.

    Drawing takes about a quarter of a second (bench/chart.py): it runs off the event loop
    (run_blocking), and a coordinator tapping /dashboard again with the same figures does not
    pay for it twice. The picture holds figures only, no names.
    """
    digest = hashlib.sha256(repr(chart).encode()).hexdigest()[:20]
    path = folder / f"dashboard-{digest}.png"
    if path.exists():
        path.touch()  # still in use: keep it
        return path
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    _forget_old(folder)
    partial = path.with_name(f"{path.stem}.{uuid.uuid4().hex[:8]}.part")  # one per drawer
    run_blocking(lambda: draw_chart(chart, partial))
    partial.replace(path)  # never send a half-written picture
    return path


def _forget_old(folder: Path) -> None:
    """Pictures nobody asked for in a day go, so the folder does not grow for ever."""
    cutoff = time.time() - KEEP_SECONDS
    for old in folder.glob("dashboard-*.png"):
        with contextlib.suppress(FileNotFoundError):  # another process removed it first
            if old.stat().st_mtime < cutoff:
                old.unlink()
