"""Reading `catalogue.yaml` into Catalogue values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.knowledge.catalogue import Catalogue
from bot.knowledge.model import GoalTemplate, Measure, RiskFactor, RiskGroup
from bot.knowledge.source import ContentError, load_yaml

CATALOGUE_FILE = "catalogue.yaml"


def read_catalogue_data(root: Path) -> tuple[str, dict[str, Any]]:
    """The catalogue's text and its parsed top-level mapping."""
    path = root / CATALOGUE_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(1, f"cannot read the catalogue: {exc}") from exc
    data = load_yaml(text)
    if not isinstance(data, dict):
        raise ContentError(1, "the catalogue must be a mapping with risk_groups, measures, ...")
    return text, data


def build_catalogue(data: dict[str, Any]) -> Catalogue:
    """Build catalogue values; missing optional parts become empty (`kb check` reports them)."""
    try:
        groups = tuple(_group(g) for g in _items(data, "risk_groups"))
        measures = tuple(_measure(m) for m in _items(data, "measures"))
        templates = tuple(_template(t) for t in _items(data, "goal_templates"))
        raw_synonyms = data.get("synonyms") or {}
        synonyms = {
            str(lang): tuple(tuple(str(w) for w in grp) for grp in groups_ if isinstance(grp, list))
            for lang, groups_ in raw_synonyms.items()
            if isinstance(groups_, list)
        }
    except (AttributeError, KeyError, TypeError) as exc:
        raise ContentError(1, f"the catalogue has an entry of the wrong shape: {exc!r}") from exc
    return Catalogue(groups=groups, measures=measures, templates=templates, synonyms=synonyms)


def _items(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key) or []
    return [v for v in value if isinstance(v, dict)]


def _langs(value: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _group(raw: dict[str, Any]) -> RiskGroup:
    code = str(raw["code"])
    factors = tuple(
        RiskFactor(
            code=str(f["code"]),
            group=code,
            label=_langs(f.get("label")),
            hint=_langs(f.get("hint")),
        )
        for f in raw.get("factors") or []
        if isinstance(f, dict)
    )
    return RiskGroup(code=code, label=_langs(raw.get("label")), factors=factors)


def _measure(raw: dict[str, Any]) -> Measure:
    article = raw.get("article")
    return Measure(
        code=str(raw["code"]),
        kind=str(raw.get("kind", "")),
        label=_langs(raw.get("label")),
        role=str(raw.get("role", "")),
        responsible=_langs(raw.get("responsible")),
        frequency=_langs(raw.get("frequency")),
        answers=tuple(str(a) for a in raw.get("answers") or []),
        article=str(article) if article else None,
    )


def _template(raw: dict[str, Any]) -> GoalTemplate:
    return GoalTemplate(
        factor=str(raw["factor"]), text=_langs(raw.get("text")), unit=_langs(raw.get("unit"))
    )
