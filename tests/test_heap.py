"""The collector settings the runtime applies after startup (bot/app/heap.py)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from bot.app import heap


@pytest.fixture
def restored_gc() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_settle_freezes_what_lives_and_still_frees_later_cycles(restored_gc: None) -> None:
    startup = _Node()
    heap.settle()
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold()[0] == heap.YOUNG_THRESHOLD
    assert all(o is not startup for o in gc.get_objects())  # frozen: left out of every scan

    garbage = _Node()
    gone = weakref.ref(garbage)
    del garbage
    gc.collect()
    assert gone() is None
