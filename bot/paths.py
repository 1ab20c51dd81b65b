"""Where the editable content lives: the repository folders, or their copies inside the wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def content_dir(name: str) -> Path:
    """Return `dialogs`, `knowledge` or `locales`: the repo folder first, then the wheel copy."""
    repo = _PACKAGE.parent / name
    if repo.is_dir():
        return repo
    return _PACKAGE / "_content" / name
