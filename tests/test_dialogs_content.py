"""The shipped dialogs are valid, and a broken flow file is reported with its file and line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.app.build import build_registry
from bot.app.dialog_check import check_dialogs
from bot.knowledge import KnowledgeBase
from bot.paths import content_dir
from tests.console_run import ROOT


def test_shipped_dialogs_pass_check() -> None:
    assert check_dialogs(content_dir("dialogs"), build_registry(KnowledgeBase.load())) == []


def test_cli_check_and_graph() -> None:
    run = [sys.executable, "-m", "bot", "dialogs"]
    check = subprocess.run([*run, "check"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
    graph = subprocess.run(
        [*run, "graph", "ask_school"], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert graph.stdout.startswith("stateDiagram-v2")
    assert "confirm --> sent : yes / store_school_question" in graph.stdout


def test_mistakes_name_file_and_line(tmp_path: Path) -> None:
    for name in ("menu", "onboarding", "language"):
        (tmp_path / f"{name}.yaml").write_text(
            (content_dir("dialogs") / f"{name}.yaml").read_text(encoding="utf-8"), encoding="utf-8"
        )
    (tmp_path / "broken.yaml").write_text(
        "name: broken\n"
        "start: first\n"
        "steps:\n"
        "  first:\n"
        "    prompt: no.such.key\n"
        "    input: text\n"
        "    save: x\n"
        "    keep_text: y\n"
        "    next: nowhere\n"
        "  orphan:\n"
        "    prompt: menu.prompt\n"
        "    input: message\n"
        "    next: {to: end, action: no_such_action}\n",
        encoding="utf-8",
    )
    (tmp_path / "bad_yaml.yaml").write_text("name: x\nsteps: [\n", encoding="utf-8")
    problems = [str(p) for p in check_dialogs(tmp_path, build_registry())]
    broken = str(tmp_path / "broken.yaml")
    assert f"{broken}:5: unknown target 'nowhere'" in problems
    assert f"{broken}:11: step 'orphan' is unreachable" in problems
    assert f"{broken}:11: unknown action 'no_such_action'" in problems
    assert f"{broken}:5: step 'first': keep_text is for choice steps" in problems
    assert (
        f"{broken}:5: step 'first': keep_text (a name) and kept_note (a text key) go together"
        in problems
    )
    assert any(
        p.startswith(f"{broken}:5: text key 'no.such.key' is not translated") for p in problems
    )
    assert any(p.startswith(str(tmp_path / "bad_yaml.yaml") + ":") for p in problems)
