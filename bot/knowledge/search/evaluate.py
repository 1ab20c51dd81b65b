"""Search quality on a labelled query file: top-1, top-3 and MRR, and a naive baseline."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.knowledge.base import KnowledgeBase
from bot.knowledge.codes import LANGS

Ranker = Callable[[str, str], list[str]]  # (query, lang) -> article ids, best first
DEPTH = 10  # ranks counted for MRR


@dataclass(frozen=True, slots=True)
class Case:
    query: str
    lang: str
    expected: tuple[str, ...]  # any of them is a hit


@dataclass(frozen=True, slots=True)
class CaseResult:
    case: Case
    got: list[str]

    @property
    def rank(self) -> int | None:
        """1-based rank of the first expected id, None when it was not found."""
        return next((i for i, id in enumerate(self.got, 1) if id in self.case.expected), None)


@dataclass(frozen=True, slots=True)
class Figures:
    n: int
    top1: float
    top3: float
    mrr: float


class CaseFileError(ValueError):
    """A line of the query file that is not `query<TAB>lang<TAB>id|id`."""


def read_cases(path: Path) -> list[Case]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if number == 1 and parts[0].strip().lower() == "query":
            continue  # a header
        if len(parts) < 3 or parts[1].strip() not in LANGS or not parts[2].strip():
            raise CaseFileError(f"{path}:{number}: expected query<TAB>lv|ru<TAB>id|id")
        expected = tuple(i.strip() for i in parts[2].split("|") if i.strip())
        cases.append(Case(query=parts[0], lang=parts[1].strip(), expected=expected))
    return cases


def run(cases: Sequence[Case], ranker: Ranker) -> list[CaseResult]:
    return [CaseResult(case=c, got=ranker(c.query, c.lang)[:DEPTH]) for c in cases]


def figures(results: Sequence[CaseResult]) -> Figures:
    n = len(results)
    ranks = [r.rank for r in results]
    if not n:
        return Figures(n=0, top1=0.0, top3=0.0, mrr=0.0)
    return Figures(
        n=n,
        top1=round(sum(1 for r in ranks if r == 1) / n, 4),
        top3=round(sum(1 for r in ranks if r is not None and r <= 3) / n, 4),
        mrr=round(sum(1 / r for r in ranks if r is not None) / n, 4),
    )


def report(results: Sequence[CaseResult], baseline: Figures) -> dict[str, object]:
    """The `kb eval --json` object: figures, each query's result, and the baseline's figures."""
    ours = figures(results)
    return {
        "n": ours.n,
        "top1": ours.top1,
        "top3": ours.top3,
        "mrr": ours.mrr,
        "results": [
            {
                "query": r.case.query,
                "lang": r.case.lang,
                "expected": list(r.case.expected),
                "got": r.got,
            }
            for r in results
        ],
        "baseline": {"top1": baseline.top1, "top3": baseline.top3, "mrr": baseline.mrr},
    }


def title_baseline(kb: KnowledgeBase) -> Ranker:
    """The naive method to beat: rapidfuzz WRatio of the query against titles in its language."""
    titles = {lang: {a.id: a.title for a in kb.articles(lang)} for lang in LANGS}

    def rank(query: str, lang: str) -> list[str]:
        choices = titles.get(lang, {})
        found = process.extract(query, choices, scorer=fuzz.WRatio, limit=DEPTH)
        return [key for _, _, key in found]

    return rank
