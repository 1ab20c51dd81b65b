"""Counters and a latency histogram in the Prometheus text format (no client library needed)."""

from __future__ import annotations

import bisect
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

# Seconds; Bot API calls usually take 50-300 ms, a slow or retried one several seconds.
LATENCY_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


@dataclass(slots=True)
class Histogram:
    """Cumulative buckets, a sum and a count, as Prometheus expects them."""

    buckets: tuple[float, ...] = LATENCY_BUCKETS
    counts: list[int] = field(default_factory=list)
    total: float = 0.0
    n: int = 0

    def __post_init__(self) -> None:
        self.counts = [0] * len(self.buckets)

    def observe(self, seconds: float) -> None:
        index = bisect.bisect_left(self.buckets, seconds)
        if index < len(self.counts):
            self.counts[index] += 1
        self.total += seconds
        self.n += 1

    def lines(self, name: str) -> Iterable[str]:
        running = 0
        for bound, count in zip(self.buckets, self.counts, strict=True):
            running += count
            yield f'{name}_bucket{{le="{bound:g}"}} {running}'
        yield f'{name}_bucket{{le="+Inf"}} {self.n}'
        yield f"{name}_sum {self.total:.6f}"
        yield f"{name}_count {self.n}"


@dataclass(frozen=True, slots=True)
class Sample:
    """One metric: a counter or gauge with a value, or a histogram."""

    name: str
    kind: str  # counter | gauge | histogram
    help: str
    value: float | Histogram


def exposition(samples: Iterable[Sample]) -> str:
    """The text a Prometheus scrape of /metrics reads."""
    out: list[str] = []
    for s in samples:
        out.append(f"# HELP {s.name} {s.help}")
        out.append(f"# TYPE {s.name} {s.kind}")
        if isinstance(s.value, Histogram):
            out.extend(s.value.lines(s.name))
        else:
            out.append(f"{s.name} {s.value:g}")
    return "\n".join(out) + "\n"


class ErrorCount(logging.Handler):
    """Counts records logged at ERROR or above: the "errors" figure of /metrics."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
