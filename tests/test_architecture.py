"""Imports point inward: the core and domain know nothing of Telegram, SQL or Babel."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[1] / "bot"
FORBIDDEN = ("aiogram", "telegram", "sqlalchemy", "babel", "aiohttp", "bot.storage", "bot.channels")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", ["core", "domain"])
def test_inner_layers_import_no_transport_or_storage(package: str) -> None:
    folder = BOT / package
    for path in folder.rglob("*.py") if folder.exists() else []:
        bad = {n for n in _imports(path) if n.split(".")[0] in FORBIDDEN or n.startswith(FORBIDDEN)}
        assert not bad, f"{path.relative_to(BOT)} imports {sorted(bad)}"


def test_only_channels_import_telegram_frameworks() -> None:
    for path in BOT.rglob("*.py"):
        if "channels" in path.parts:
            continue
        found = {n for n in _imports(path) if n.split(".")[0] in ("aiogram", "telegram")}
        assert not found, f"{path.relative_to(BOT)} imports {sorted(found)}"


def test_shared_telegram_translation_imports_neither_framework() -> None:
    """The translation both runtimes share, and the runtime around them, favour neither."""
    for name in ("telegram_events.py", "telegram_runtime.py"):
        path = BOT / "channels" / name
        found = {n for n in _imports(path) if n.split(".")[0] in ("aiogram", "telegram")}
        assert not found, f"channels/{name} imports {sorted(found)}"
