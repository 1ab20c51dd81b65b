"""Article Markdown to the small HTML subset Telegram shows (console strips the tags).

Articles are trusted files, but their text is still escaped: only the markup below is produced.
"""

from __future__ import annotations

import html
import re

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?!\*)")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_BULLET = re.compile(r"^\s*[-*+]\s+")
_NUMBERED = re.compile(r"^\s*(\d+)[.)]\s+")


def _inline(text: str) -> str:
    out = html.escape(text, quote=False)
    out = _LINK.sub(lambda m: f'<a href="{html.escape(m[2])}">{m[1]}</a>', out)
    out = _BOLD.sub(r"<b>\1</b>", out)
    return _ITALIC.sub(r"<i>\1</i>", out)


def to_telegram_html(markdown: str) -> str:
    """Headings become bold lines, lists get bullets, paragraphs stay apart."""
    lines: list[str] = []
    for raw in markdown.strip().splitlines():
        line = raw.rstrip()
        if line.startswith("#"):
            lines.append(f"<b>{_inline(line.lstrip('#').strip())}</b>")
        elif _BULLET.match(line):
            lines.append("• " + _inline(_BULLET.sub("", line)))
        elif m := _NUMBERED.match(line):
            lines.append(f"{m[1]}. " + _inline(_NUMBERED.sub("", line)))
        else:
            lines.append(_inline(line))
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text)
