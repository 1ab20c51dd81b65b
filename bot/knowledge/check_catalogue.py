"""Checks of catalogue.yaml: codes unique and complete, labels in both languages, cross-links."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.knowledge.catalogue import Catalogue
from bot.knowledge.codes import FIXED_FACTORS, FIXED_MEASURES, LANGS, MEASURE_KINDS
from bot.knowledge.problem import Problem
from bot.knowledge.source import line_containing

PLACEHOLDERS = ("{baseline}", "{target}", "{date}")


@dataclass
class _Report:
    path: Path
    text: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, needle: str | None, message: str, occurrence: int = 1) -> None:
        """Record a problem at the n-th line containing `needle` (line 1 without one)."""
        line = line_containing(self.text, needle, occurrence) if needle else 1
        self.problems.append(Problem(self.path, line, message))

    def langs(self, needle: str, what: str, value: dict[str, str], occurrence: int = 1) -> None:
        for lang in LANGS:
            if not value.get(lang, "").strip():
                self.add(needle, f"{what} is missing in {lang}", occurrence)


def check_catalogue(
    path: Path, text: str, data: dict[str, Any], cat: Catalogue, article_ids: set[str]
) -> list[Problem]:
    """Problems in the catalogue file; `article_ids` are the ids a measure may link to."""
    report = _Report(path, text)
    for key in ("risk_groups", "measures", "goal_templates", "synonyms"):
        if not data.get(key):
            report.add(None, f"missing or empty section '{key}'")
    _codes(report, cat)
    _factors(report, cat)
    _measures(report, cat, article_ids)
    _templates(report, cat)
    _synonyms(report, cat)
    return report.problems


def _codes(report: _Report, cat: Catalogue) -> None:
    codes = [g.code for g in cat.groups] + [f.code for f in cat.factors]
    codes += [m.code for m in cat.measures]
    for code, count in Counter(codes).items():
        if count > 1:
            report.add(
                f"code: {code}", f"code '{code}' is used {count} times; codes must be unique", 2
            )
    for group, factors in FIXED_FACTORS.items():
        if cat.group(group) is None:
            report.add(None, f"risk group '{group}' is missing (see CODES.md)")
        for code in factors:
            if cat.factor(code) is None:
                report.add(None, f"risk factor '{code}' is missing (see CODES.md)")
    for kind, measures in FIXED_MEASURES.items():
        for code in measures:
            if cat.measure(code) is None:
                report.add(None, f"measure '{code}' ({kind}) is missing (see CODES.md)")


def _factors(report: _Report, cat: Catalogue) -> None:
    for group in cat.groups:
        report.langs(f"code: {group.code}", f"risk group '{group.code}' label", group.label)
        for f in group.factors:
            where = f"code: {f.code}"
            report.langs(where, f"factor '{f.code}' label", f.label)
            report.langs(where, f"factor '{f.code}' hint", f.hint)
            if not cat.measures_for([f.code]):
                report.add(where, f"factor '{f.code}' is answered by no measure")
            if not cat.goal_templates(f.code):
                report.add(where, f"factor '{f.code}' has no goal template")


def _measures(report: _Report, cat: Catalogue, article_ids: set[str]) -> None:
    for m in cat.measures:
        where = f"code: {m.code}"
        if m.kind not in MEASURE_KINDS:
            kinds = ", ".join(MEASURE_KINDS)
            report.add(where, f"measure '{m.code}' kind '{m.kind}' is not one of {kinds}")
        report.langs(where, f"measure '{m.code}' label", m.label)
        report.langs(where, f"measure '{m.code}' responsible", m.responsible)
        report.langs(where, f"measure '{m.code}' frequency", m.frequency)
        if not m.role:
            report.add(where, f"measure '{m.code}' has no responsible role")
        if not m.answers:
            report.add(where, f"measure '{m.code}' answers no risk factor")
        for code in m.answers:
            if cat.factor(code) is None:
                report.add(where, f"measure '{m.code}' answers unknown factor '{code}'")
        if m.article is not None and m.article not in article_ids:
            report.add(where, f"measure '{m.code}' links to unknown article '{m.article}'")


def _templates(report: _Report, cat: Catalogue) -> None:
    seen: Counter[str] = Counter()
    for t in cat.templates:
        seen[t.factor] += 1
        where, nth = f"factor: {t.factor}", seen[t.factor]
        if cat.factor(t.factor) is None:
            report.add(where, f"goal template for unknown factor '{t.factor}'", nth)
        report.langs(where, f"goal template '{t.factor}' text", t.text, nth)
        report.langs(where, f"goal template '{t.factor}' unit", t.unit, nth)
        for lang, text in t.text.items():
            missing = [p for p in PLACEHOLDERS if p not in text]
            if missing:
                message = f"goal template '{t.factor}' ({lang}) lacks {' '.join(missing)}"
                report.add(where, message, nth)


def _synonyms(report: _Report, cat: Catalogue) -> None:
    for lang in LANGS:
        if not cat.synonym_groups(lang):
            report.add(None, f"synonyms: no groups for '{lang}'")
        for group in cat.synonym_groups(lang):
            if len(group) < 2:
                report.add(group[0] if group else None, "a synonym group needs two or more words")
