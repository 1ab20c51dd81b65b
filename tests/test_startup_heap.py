"""After startup the long-lived objects are frozen, so full collections no longer walk them."""

from __future__ import annotations

import gc

from bot.app.startup import settle_heap


def test_settle_heap_freezes_what_exists_and_later_objects_stay_collectable() -> None:
    try:
        settle_heap()
        frozen = gc.get_freeze_count()
        assert frozen > 0
        later: list[object] = []
        later.append(later)  # a cycle made after startup is still found by the collector
        del later
        assert gc.collect() >= 1
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
