"""The dashboard chart in the viewer's language, drawn once per distinct set of figures."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from bot.app.plans.common import label
from bot.domain.figures import Summary
from bot.domain.plans import Status
from bot.exports.chart import Chart, Panel, draw_chart
from bot.i18n import translator
from bot.knowledge import Catalogue


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

    Drawing takes about a quarter of a second (bench/chart.py), so a coordinator tapping
    /dashboard again does not pay for it twice. The picture holds figures only, no names.
    """
    digest = hashlib.sha256(repr(chart).encode()).hexdigest()[:20]
    path = folder / f"dashboard-{digest}.png"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        partial = path.with_suffix(".part.png")
        draw_chart(chart, partial)
        partial.replace(path)  # never send a half-written picture
    return path
