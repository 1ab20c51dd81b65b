"""Switches for the evidence suites: short variants always run, long ones behind EVIDENCE_LONG=1."""

from __future__ import annotations

import os
import random

LONG = os.environ.get("EVIDENCE_LONG", "") not in ("", "0")


def scale(short: int, long: int) -> int:
    """The short figure in every run; the long one when EVIDENCE_LONG=1."""
    return long if LONG else short


def seeds(count: int) -> list[int]:
    """Seeds for randomised runs; EVIDENCE_SEED=N replays exactly that one run."""
    fixed = os.environ.get("EVIDENCE_SEED", "")
    if fixed:
        return [int(fixed)]
    return [random.randrange(1, 2**31) for _ in range(count)]


def report(suite: str, **figures: object) -> None:
    """One line of figures per suite (shown with `pytest -s` and in the long-run log)."""
    shown = ", ".join(f"{k}={v}" for k, v in figures.items())
    print(f"\n[evidence] {suite}: {shown}")
