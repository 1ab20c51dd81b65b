"""How long one dashboard chart takes to draw (first call includes importing matplotlib)."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from bot.exports.chart import Chart, Panel, draw_chart

CHART = Chart(
    title="Rīgas 40. vidusskola — 2026/27-1",
    by_status=Panel(
        "Plāni pēc statusa",
        (
            "projekts",
            "saskaņošanā",
            "apstiprināts",
            "īstenošanā",
            "pārskatīšanā",
            "apturēts",
            "neaktīvs",
        ),
        (4, 3, 7, 21, 1, 2, 5),
    ),
    by_risk_group=Panel(
        "Riski pēc grupas",
        (
            "Mācību darba un izglītības iestādes riski",
            "Ekonomiskie riski",
            "Ar ģimeni saistītie riski",
            "Sociālās vides un veselības riski",
        ),
        (30, 8, 12, 9),
    ),
    overdue_weeks=Panel(
        "Nokavētas pārskatīšanas pa nedēļām",
        ("12.10", "19.10", "26.10", "02.11", "09.11", "16.11", "23.11", "30.11"),
        (0, 1, 1, 3, 2, 4, 2, 3),
    ),
    empty="—",
)


def main(runs: int = 20) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        measure(Path(tmp), runs)


def measure(folder: Path, runs: int) -> None:
    start = time.perf_counter()
    draw_chart(CHART, folder / "first.png")
    first = time.perf_counter() - start
    times = []
    for i in range(runs):
        start = time.perf_counter()
        draw_chart(CHART, folder / f"c{i}.png")
        times.append(time.perf_counter() - start)
    size = (folder / "c0.png").stat().st_size
    print(f"first chart (with matplotlib import): {first * 1000:.0f} ms")
    print(
        f"chart p50 {statistics.median(times) * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms over {runs} runs; PNG {size / 1024:.0f} KiB"
    )


if __name__ == "__main__":
    main()
