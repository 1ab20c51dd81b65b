"""Search quality on labelled queries, and `kb search` / `kb eval` as other tools call them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeBase
from bot.knowledge.search import SearchIndex
from bot.knowledge.search.evaluate import (
    CaseFileError,
    figures,
    read_cases,
    run,
    title_baseline,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(KnowledgeBase.load())


def _figures(index: SearchIndex, name: str) -> tuple[float, float, float]:
    found = figures(
        run(read_cases(DATA / name), lambda q, lang: [h.id for h in index.search(q, lang, 10)])
    )
    return found.top1, found.top3, found.mrr


def test_dev_set_quality(index: SearchIndex) -> None:
    top1, top3, _ = _figures(index, "search-dev.tsv")
    assert top1 >= 0.90 and top3 >= 0.97, (top1, top3)


def test_held_out_set_quality(index: SearchIndex) -> None:
    # Written before the dev failures were looked at; measured 0.88 / 1.00 / 0.94.
    top1, top3, mrr = _figures(index, "search-extra.tsv")
    assert top1 >= 0.80 and top3 >= 0.92 and mrr >= 0.85, (top1, top3, mrr)


def test_second_held_out_set_quality(index: SearchIndex) -> None:
    # 50 more questions in new wordings (son/daughter, bullying, money, dropping out), written
    # 2026-11-30 after trying the bot as a parent: measured 0.84 / 0.98 / 0.91 before that day's
    # changes (son and daughter words no longer weigh as topics; a few absence and
    # leaving-school phrasings in the synonyms), 0.90 / 0.98 / 0.94 after.
    top1, top3, mrr = _figures(index, "search-second-held-out.tsv")
    assert top1 >= 0.85 and top3 >= 0.95 and mrr >= 0.90, (top1, top3, mrr)


def test_beats_the_title_baseline(index: SearchIndex) -> None:
    cases = read_cases(DATA / "search-dev.tsv")
    ours = figures(run(cases, lambda q, lang: [h.id for h in index.search(q, lang, 10)]))
    baseline = figures(run(cases, title_baseline(KnowledgeBase.load())))
    assert ours.mrr > baseline.mrr + 0.2


def test_case_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("query\tlang\texpected_ids\nok\tlv\tplan-what\nno tabs here\n", encoding="utf-8")
    with pytest.raises(CaseFileError, match=r"bad\.tsv:3"):
        read_cases(bad)
    good = tmp_path / "good.tsv"
    good.write_text("# a comment\n\nkas ir IAP\tlv\tplan-what | glossary\n", encoding="utf-8")
    [case] = read_cases(good)
    assert case.expected == ("plan-what", "glossary")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def test_kb_search_json() -> None:
    result = _run("kb", "search", "bulings skolā", "--lang", "ru", "--json")
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert hits and hits[0]["id"] == "bullying"
    assert all(set(h) == {"id", "lang", "title", "score"} and h["lang"] == "ru" for h in hits)
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_kb_search_text_and_empty() -> None:
    result = _run("kb", "search", "🙂")
    assert result.returncode == 0 and "No matching articles" in result.stdout
    assert json.loads(_run("kb", "search", "", "--json").stdout) == []


def test_kb_eval_json() -> None:
    result = _run("kb", "eval", str(DATA / "search-dev.tsv"), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert list(report) == ["n", "top1", "top3", "mrr", "results", "baseline"]
    assert report["n"] == len(report["results"]) == 40
    assert report["top1"] >= 0.90 and report["top3"] >= 0.97
    assert set(report["baseline"]) == {"top1", "top3", "mrr"}
    first = report["results"][0]
    assert set(first) == {"query", "lang", "expected", "got"} and isinstance(first["got"], list)


def test_kb_eval_text_prints_both_figures() -> None:
    result = _run("kb", "eval", str(DATA / "search-extra.tsv"))
    assert result.returncode == 0, result.stderr
    assert "search" in result.stdout and "baseline" in result.stdout and "top-1" in result.stdout


def test_kb_eval_bad_file() -> None:
    assert _run("kb", "eval", "/no/such/file.tsv").returncode == 1
