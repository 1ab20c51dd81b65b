"""Checks across files: fixed ids in both languages, related ids and catalogue codes resolve."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bot.knowledge.articles import RawArticle
from bot.knowledge.catalogue import Catalogue
from bot.knowledge.codes import FIXED_IDS, LANGS
from bot.knowledge.problem import Problem
from bot.knowledge.source import key_line


def check_coverage(root: Path, present: Iterable[Path]) -> list[Problem]:
    """Every fixed id, and every other article, exists in every language."""
    files = {(p.parent.name, p.stem) for p in present}
    ids = set(FIXED_IDS) | {stem for lang, stem in files if lang in LANGS}
    out = []
    for id in sorted(ids):
        for lang in LANGS:
            if (lang, id) not in files:
                why = "a fixed catalogue id" if id in FIXED_IDS else f"an article in {_other(lang)}"
                message = f"missing article: '{id}' is {why} but has no {lang} file"
                out.append(Problem(root / "articles" / lang / f"{id}.md", 1, message))
    for lang, stem in sorted(files):
        if lang not in LANGS:
            path = root / "articles" / lang / f"{stem}.md"
            out.append(Problem(path, 1, f"folder '{lang}' is not a language ({', '.join(LANGS)})"))
    return out


def check_references(raw: RawArticle, ids: set[str], catalogue: Catalogue | None) -> list[Problem]:
    """`related` ids name existing articles; `risk_factors` and `measures` name catalogue codes.

    Without a readable catalogue (already reported) the codes are not checked.
    """
    out = []

    def add(key: str, value: str, message: str) -> None:
        line = key_line(raw.doc.front, key, value, raw.doc.front_start)
        out.append(Problem(raw.path, line, message))

    own = raw.data.get("id")
    for value in _strings(raw.data.get("related")):
        if value == own:
            add("related", value, f"related lists the article itself ('{value}')")
        elif value not in ids:
            add("related", value, f"related id '{value}' is not an article in this language")
    if catalogue is None:
        return out
    for value in _strings(raw.data.get("risk_factors")):
        if catalogue.factor(value) is None:
            add("risk_factors", value, f"risk factor '{value}' is not in catalogue.yaml")
    for value in _strings(raw.data.get("measures")):
        if catalogue.measure(value) is None:
            add("measures", value, f"measure '{value}' is not in catalogue.yaml")
    return out


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _other(lang: str) -> str:
    return "/".join(other for other in LANGS if other != lang)
