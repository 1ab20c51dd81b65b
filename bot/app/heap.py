"""The garbage collector set for a long-running bot: startup objects frozen, fewer collections.

After startup the heap holds hundreds of thousands of objects that live as long as the process:
aiogram's and pydantic's models, the dialogs, the knowledge base and its search index. Each full
collection walked them all again (measured in bench/load.py: three in a run, 0.97 s together, one of
0.47 s during which no chat was answered). Frozen, they are left out of every later collection.
A unit of work allocates a few thousand short-lived objects; with the default threshold (700) a
young collection ran every few updates, mostly to find nothing, since almost none of them form
cycles. Memory is still freed at once by reference counting; only cyclic garbage waits longer.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 10_000  # allocations between young collections (default 700)


def settle() -> None:
    """Call once everything long-lived is loaded, before serving."""
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, older, oldest)
