"""The seeded school the in-process evidence suites start from (one per test module)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.storage import crypto
from tests.conftest import TEST_KEY
from tests.evidence.world import World, seeded_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    crypto.configure([TEST_KEY])  # module scope comes before the per-test key fixture
    try:
        with seeded_world(tmp_path_factory.mktemp("world")) as w:
            yield w
    finally:
        crypto.reset()
