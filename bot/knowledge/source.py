"""Reading content files: YAML with error line numbers, front matter split from the body."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

# libyaml is ten times faster; the pure-Python loader gives the same result where it is missing.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ContentError(Exception):
    """A content file that cannot be read at all; `line` counts from 1 within the file."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True, slots=True)
class Document:
    """A Markdown file split into its front matter text and body."""

    front: str
    body: str
    front_start: int  # file line number of the first front matter line
    body_start: int  # file line number of the first body line


def load_yaml(text: str, first_line: int = 1) -> Any:
    """Parse YAML, turning syntax errors into a ContentError that names the file line."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        raise ContentError(line, f"invalid YAML: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise ContentError(first_line, f"invalid YAML: {exc}") from exc


def split_front_matter(text: str) -> Document:
    """Split `---` front matter from the Markdown body."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ContentError(1, "the file must start with a '---' line opening the front matter")
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            front = "".join(lines[1:index])
            body = "".join(lines[index + 1 :])
            return Document(front=front, body=body, front_start=2, body_start=index + 2)
    raise ContentError(1, "the front matter is not closed by a '---' line")


def key_line(text: str, key: str, value: str | None = None, start: int = 1) -> int:
    """Line (from `start`) of a top-level `key:`, or with `value` of the line in it holding it."""
    lines = text.splitlines()
    found = 0
    for number, line in enumerate(lines, start=start):
        if not found and (line.startswith(f"{key}:") or line.startswith(f'"{key}":')):
            found = number
            if value is None or value in line.split(":", 1)[1]:
                return number
        elif found:
            if line and not line[0].isspace() and not line.startswith("-"):
                break  # the next top-level key: the value was not found inside this one
            if value is not None and value in line:
                return number
    return found or start


def line_containing(text: str, needle: str, occurrence: int = 1, start: int = 1) -> int:
    """Line of the n-th line containing `needle`, or `start` when there is none."""
    seen = 0
    for number, line in enumerate(text.splitlines(), start=start):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    return start
