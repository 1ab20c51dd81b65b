"""A content mistake found by `kb check`: the file, the line and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    path: Path
    line: int
    message: str

    def render(self, base: Path | None = None) -> str:
        """`path:line: message`, with the path relative to `base` when it lies inside it."""
        path = self.path
        if base is not None and path.is_relative_to(base):
            path = path.relative_to(base)
        return f"{path}:{self.line}: {self.message}"
