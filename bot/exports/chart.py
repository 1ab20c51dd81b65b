"""The dashboard picture: three small panels stacked for a phone screen, drawn with matplotlib.

The caller passes texts already translated; this module only draws. It uses the object API with
the Agg canvas (no pyplot, no global state), so it is safe in any thread and never needs a display.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

BAR = "#2f6f9f"
ALERT = "#c0392b"
WRAP = 26  # characters per label line: long risk-group names stay readable on a phone


@dataclass(frozen=True, slots=True)
class Panel:
    """One panel: a title and labelled values (bars, or weeks for the trend panel)."""

    title: str
    labels: tuple[str, ...]
    values: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Chart:
    title: str
    by_status: Panel
    by_risk_group: Panel
    overdue_weeks: Panel
    empty: str  # shown inside a panel with nothing to count


def draw_chart(chart: Chart, path: Path, dpi: int = 100) -> Path:
    """Write the chart as a PNG at `path` and return it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.2, 10.8), dpi=dpi, layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(chart.title, fontsize=15, fontweight="bold")
    top, middle, bottom = figure.subplots(3, 1, height_ratios=(1.1, 1.0, 0.9))
    _bars(top, chart.by_status, chart.empty, BAR)
    _bars(middle, chart.by_risk_group, chart.empty, BAR)
    _weeks(bottom, chart.overdue_weeks)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    figure.savefig(path, format="png", dpi=dpi)
    return path


def _bars(ax: object, panel: Panel, empty: str, colour: str) -> None:
    from matplotlib.axes import Axes

    assert isinstance(ax, Axes)
    ax.set_title(panel.title, fontsize=13, loc="left")
    if not any(panel.values):
        ax.text(0.5, 0.5, empty, ha="center", va="center", fontsize=12, transform=ax.transAxes)
        ax.set_axis_off()
        return
    labels = [textwrap.fill(label, WRAP) for label in panel.labels]
    positions = range(len(labels))
    bars = ax.barh(list(positions), list(panel.values), color=colour)
    ax.set_yticks(list(positions), labels, fontsize=11)
    ax.invert_yaxis()  # the first item on top, as in the text summary
    ax.bar_label(bars, padding=3, fontsize=11)
    ax.set_xlim(0, max(panel.values) * 1.18 + 0.5)
    ax.xaxis.set_visible(False)
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)


def _weeks(ax: object, panel: Panel) -> None:
    from matplotlib.axes import Axes
    from matplotlib.ticker import MaxNLocator

    assert isinstance(ax, Axes)
    ax.set_title(panel.title, fontsize=13, loc="left")
    positions = list(range(len(panel.labels)))
    bars = ax.bar(positions, list(panel.values), color=ALERT, width=0.6)
    ax.set_xticks(positions, list(panel.labels), fontsize=10)
    ax.bar_label(bars, padding=2, fontsize=10)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max((*panel.values, 1)) * 1.25)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
