"""TrueType fonts for exports, taken from a package dependency rather than the host system.

Server images often have no fonts at all, and the core PDF fonts cannot draw Latvian or Cyrillic
letters. matplotlib ships DejaVu Sans, which covers both, so every machine that installs the bot
also has the fonts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

FAMILY = "DejaVu Sans"
_FILES = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "oblique": "DejaVuSans-Oblique.ttf",
}


class FontNotFoundError(FileNotFoundError):
    """DejaVu Sans is missing, so a PDF would lose its Latvian and Russian letters."""


@dataclass(frozen=True, slots=True)
class FontFiles:
    regular: Path
    bold: Path
    oblique: Path


@cache
def dejavu_sans() -> FontFiles:
    """Return the paths of DejaVu Sans regular, bold and oblique shipped inside matplotlib."""
    try:
        # Imported here: only PDF rendering needs it, and the import pulls in numpy.
        import matplotlib
    except ImportError as exc:
        raise FontNotFoundError(
            "matplotlib is not installed; it ships the DejaVu Sans fonts that PDF exports embed"
        ) from exc
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    paths = {style: folder / name for style, name in _FILES.items()}
    missing = sorted(path.name for path in paths.values() if not path.is_file())
    if missing:
        raise FontNotFoundError(
            f"DejaVu Sans font files {', '.join(missing)} not found in {folder}; "
            "reinstall matplotlib>=3.8, which ships them"
        )
    return FontFiles(**paths)
