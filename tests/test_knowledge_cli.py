"""`python -m bot kb check` and `kb list` as other tools call them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.knowledge import KnowledgeBase
from bot.knowledge.codes import FIXED_IDS

ROOT = Path(__file__).resolve().parent.parent


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


def test_kb_list_json_has_every_id_in_both_languages() -> None:
    result = _run("kb", "list", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {(r["id"], r["lang"]) for r in rows} >= {
        (i, lang) for i in FIXED_IDS for lang in ("lv", "ru")
    }
    for row in rows:
        assert set(row) == {"id", "lang", "title", "words", "audience"}
        assert row["words"] >= 150, row
        assert isinstance(row["audience"], list) and row["audience"]
        assert row["title"]


def test_kb_list_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "list"]) == 0
    out = capsys.readouterr().out
    assert "bullying" in out and "programme-figures" in out


def test_kb_check_passes_on_real_content() -> None:
    result = _run("kb", "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK" in result.stdout


def test_kb_check_fails_and_names_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "knowledge"
    shutil.copytree(KnowledgeBase.load().root, root)
    path = root / "articles" / "lv" / "bullying.md"
    path.write_text(path.read_text(encoding="utf-8").replace("lang: lv", "lang: xx"), "utf-8")
    monkeypatch.setattr("bot.knowledge.validate.content_dir", lambda name: root)
    monkeypatch.chdir(tmp_path)
    assert main(["kb", "check"]) == 1
    out = capsys.readouterr().out
    assert "knowledge/articles/lv/bullying.md:3: lang 'xx'" in out
    assert "1 problem(s)" in out


def test_output_cut_short_by_the_reader_ends_quietly() -> None:
    # `kb list | head -1`: the reader leaves after one line; no traceback about the closed pipe.
    shell = f"{sys.executable} -m bot kb list | head -1"
    done = subprocess.run(
        ["sh", "-c", shell], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.stdout.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
