"""`kb check` passes on the real content and names the file and line of each mistake."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeBase, Problem, check


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A writable copy of the real knowledge folder."""
    root = tmp_path / "knowledge"
    shutil.copytree(KnowledgeBase.load().root, root)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def _about(problems: list[Problem], path: Path) -> list[Problem]:
    return [p for p in problems if p.path == path.resolve()]


def test_real_content_is_clean() -> None:
    assert [p.render() for p in check()] == []


def test_copy_is_clean(content: Path) -> None:
    assert check(content) == []


def test_bad_related_id(content: Path) -> None:
    path = content / "articles" / "lv" / "bullying.md"
    _edit(path, "related: [warning-signs,", "related: [warning-signz,")
    [problem] = _about(check(content), path)
    assert problem.line == _line_of(path, "related:")
    assert "warning-signz" in problem.message


def test_unknown_catalogue_codes(content: Path) -> None:
    path = content / "articles" / "ru" / "bullying.md"
    _edit(path, "risk_factors: [conflicts,", "risk_factors: [fights,")
    _edit(path, "measures: [psychologist,", "measures: [astrologer,")
    problems = _about(check(content), path)
    assert {(p.line, "fights" in p.message or "astrologer" in p.message) for p in problems} == {
        (_line_of(path, "risk_factors:"), True),
        (_line_of(path, "measures:"), True),
    }


def test_missing_ru_file(content: Path) -> None:
    path = content / "articles" / "ru" / "roles.md"
    path.unlink()
    problems = check(content)
    [problem] = _about(problems, path)
    assert problem.line == 1 and "roles" in problem.message and "ru" in problem.message
    # every ru article that links to it is reported at its `related` line
    linking = [p for p in (content / "articles" / "ru").glob("*.md") if _related_has(p, "roles")]
    assert linking
    for other in linking:
        [link] = _about(problems, other)
        assert link.line == _line_of(other, "related:") and "'roles'" in link.message


def _related_has(path: Path, id: str) -> bool:
    line = path.read_text(encoding="utf-8").split("related:", 1)[1].split("\n", 1)[0]
    return id in [part.strip(" []") for part in line.split(",")]


def test_short_body(content: Path) -> None:
    path = content / "articles" / "lv" / "glossary.md"
    text = path.read_text(encoding="utf-8")
    head, _, _ = text.partition("\n---\n")
    path.write_text(head + "\n---\nPārāk īss teksts.\n", encoding="utf-8")
    [problem] = _about(check(content), path)
    assert "3 words" in problem.message
    assert problem.line == _line_of(path, "Pārāk īss")


def test_bad_yaml(content: Path) -> None:
    path = content / "articles" / "ru" / "glossary.md"
    _edit(path, "section: programme", "section: [programme")
    [problem] = _about(check(content), path)
    assert "YAML" in problem.message
    assert _line_of(path, "section:") <= problem.line <= _line_of(path, "section:") + 2


def test_field_rules(content: Path) -> None:
    path = content / "articles" / "lv" / "roles.md"
    _edit(path, "lang: lv", "lang: ru")
    _edit(path, "section: programme", "section: people")
    _edit(path, "audience: [teacher,", "audience: [teachers,")
    _edit(path, "  - http://www.pumpurs.lv", "  - www.pumpurs.lv")
    problems = _about(check(content), path)
    lines = {p.line for p in problems}
    for key in ("lang:", "section:", "audience:", "  - www.pumpurs.lv"):
        assert _line_of(path, key) in lines, key


def test_missing_field_and_unknown_field(content: Path) -> None:
    path = content / "articles" / "lv" / "roles.md"
    _edit(path, "tags:", "tagz:")
    messages = [p.message for p in _about(check(content), path)]
    assert any("missing required field 'tags'" in m for m in messages)
    assert any("unknown field 'tagz'" in m for m in messages)


def test_alt_questions_count(content: Path) -> None:
    path = content / "articles" / "lv" / "roles.md"
    text = path.read_text(encoding="utf-8")
    start = text.index("alt_questions:")
    end = text.index("related:")
    path.write_text(text[:start] + "alt_questions: [viens]\n" + text[end:], encoding="utf-8")
    [problem] = _about(check(content), path)
    assert "alt_questions has 1" in problem.message
    assert problem.line == _line_of(path, "alt_questions:")


def test_catalogue_mistakes(content: Path) -> None:
    path = content / "catalogue.yaml"
    _edit(path, "answers: [health-problems]\n", "answers: [health-problem]\n")
    _edit(path, "{baseline}", "{basline}")
    messages = {p.message: p.line for p in _about(check(content), path)}
    unknown = [m for m in messages if "unknown factor 'health-problem'" in m]
    assert unknown and messages[unknown[0]] == _line_of(path, "code: personal-assistant")
    assert any("lacks {baseline}" in m for m in messages)
