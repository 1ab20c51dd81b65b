"""Where a benchmark ran, and how much memory it holds: figures mean little without the machine."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import resource
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def rss_mb() -> float:
    """Resident memory of this process now (not the peak), in MB."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):  # not Linux: the peak is the best there is
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info: dict[str, Any] = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }
    if hasattr(os, "getloadavg"):  # other work on the machine makes absolute figures noisy
        info["load_avg_1m"] = round(os.getloadavg()[0], 2)
    return info


def write_result(name: str, result: dict[str, Any]) -> Path:
    """bench/results/<name>-<date>.json; a second run on the same day gets a time suffix."""
    RESULTS.mkdir(exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    path = RESULTS / f"{name}-{now:%Y-%m-%d}.json"
    if path.exists():
        path = RESULTS / f"{name}-{now:%Y-%m-%d-%H%M%S}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return path


def report(result: dict[str, Any], name: str | None, as_json: bool) -> None:
    """Store the result (unless `name` is None) and print it: one JSON object, or a table."""
    if name is not None:
        result["saved_to"] = str(write_result(name, result).name)
    if as_json:
        print(json.dumps(result, ensure_ascii=False))
        return
    width = max(map(len, result))
    for key, value in result.items():
        print(f"{key:>{width}}: {value}")
