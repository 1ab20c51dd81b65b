"""Translations (gettext catalogues via Babel), CLDR plural forms, locale dates and numbers."""

from __future__ import annotations

import datetime as dt
import gettext
import io
import logging
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from bot.paths import content_dir

log = logging.getLogger(__name__)

LANGUAGES: Final = ("lv", "ru")
DOMAIN: Final = "bot"


def po_path(lang: str, root: Path | None = None) -> Path:
    return (root or content_dir("locales")) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(lang: str, root: Path | None = None) -> Catalog:
    with po_path(lang, root).open("rb") as fh:
        return read_po(fh, locale=lang, domain=DOMAIN)


def compile_catalogs(root: Path | None = None) -> list[Path]:
    """Write .mo next to each .po (the build step); returns the files written."""
    written = []
    for lang in LANGUAGES:
        catalog = read_catalog(lang, root)
        mo = po_path(lang, root).with_suffix(".mo")
        with mo.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        written.append(mo)
    return written


def _load_translations(lang: str) -> gettext.GNUTranslations:
    """Use the compiled .mo when it is current, else compile the .po in memory at start."""
    po = po_path(lang)
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    buffer = io.BytesIO()
    write_mo(buffer, read_catalog(lang), use_fuzzy=False)
    data = buffer.getvalue()
    try:
        mo.write_bytes(data)
    except OSError:  # a read-only install still works from memory
        log.debug("could not cache compiled catalogue for %s", lang)
    return gettext.GNUTranslations(io.BytesIO(data))


class Translator:
    """Texts, plurals, dates and numbers for one language."""

    def __init__(self, lang: str, tz: dt.tzinfo | None = None) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unsupported language {lang!r}")
        self.lang = lang
        self.locale = Locale.parse(lang)
        self.tz = tz or _zone[0]
        self._tr = _translations(lang)

    def text(self, key: str, params: Mapping[str, object] | None = None) -> str:
        """Translate a text key and fill its named placeholders."""
        template = self._tr.gettext(key)
        return _fill(template, params) if params else template

    def plural(self, key: str, n: int, params: Mapping[str, object] | None = None) -> str:
        """Translate a key whose wording depends on the number n (CLDR plural rules)."""
        template = self._tr.ngettext(key, key, n)
        return _fill(template, {"n": self.number(n), **(params or {})})

    def has(self, key: str) -> bool:
        return self._tr.gettext(key) != key

    def date(self, value: dt.date, fmt: str = "long") -> str:
        return format_date(value, format=fmt, locale=self.locale)

    def datetime(self, value: dt.datetime, fmt: str = "medium") -> str:
        return format_datetime(value, format=fmt, tzinfo=self.tz, locale=self.locale)

    def time(self, value: dt.datetime, fmt: str = "short") -> str:
        return format_time(value, format=fmt, tzinfo=self.tz, locale=self.locale)

    def number(self, value: float | int) -> str:
        # Small counts (steps, plurals, list sizes) look the same in every locale and are most
        # of what is shown; Babel's pattern machinery costs more than the rest of a reply.
        if type(value) is int and 0 <= value < 1000:
            return str(value)
        return format_decimal(value, locale=self.locale)


def _fill(template: str, params: Mapping[str, object]) -> str:
    """Fill the placeholders; a value that ends a sentence with its own dot ("7. dec.",
    "2026 г.") does not get a second one from the text around it."""
    values = _Params(params)
    for key, value in params.items():
        if isinstance(value, str) and value.endswith(".") and f"{{{key}}}." in template:
            values[key] = value[:-1]
    return template.format_map(values)


class _Params(dict[str, object]):
    """Leaves an unknown placeholder visible instead of failing the whole reply."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@cache
def _translations(lang: str) -> gettext.GNUTranslations:
    return _load_translations(lang)


_zone: list[dt.tzinfo] = [ZoneInfo("Europe/Riga")]


def set_timezone(tz: dt.tzinfo) -> None:
    """Dates and times are shown in this zone (the TIMEZONE setting)."""
    _zone[0] = tz
    translator.cache_clear()


@cache
def translator(lang: str) -> Translator:
    return Translator(lang)


def reload_catalogs() -> None:
    """Forget loaded catalogues (tests and content editors)."""
    _translations.cache_clear()
    translator.cache_clear()
