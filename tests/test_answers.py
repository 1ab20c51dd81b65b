"""Questions in chat: the three bands, feedback, "none of these", passing to the school, topics."""

from __future__ import annotations

import subprocess
import sys

from tests.console_run import ROOT, bot_env, chat


def test_confident_answer_read_more_and_feedback(db_url: str) -> None:
    out = chat(db_url, ["1", "ko darit ja berns negrib iet uz skolu", "5", "1"], "--user", "31")
    assert "Bērns negrib iet uz skolu" in out
    assert "[1] 📖 Lasīt vairāk" in out and "👍 Noderēja" in out
    assert "Paldies! Prieks, ka noderēja." in out


def test_russian_question_in_latin_letters_gets_a_russian_answer(db_url: str) -> None:
    out = chat(db_url, ["2", "rebenok ne hochet hodit v shkolu"], "--user", "32", "--lang", "ru")
    assert "[1] 📖 Читать дальше" in out
    assert "ребён" in out.lower()


def test_nothing_found_offers_the_school_with_the_question_kept(db_url: str) -> None:
    out = chat(
        db_url,
        ["1", "kā uzcept ābolkūku ar kanēli", "1", "Cēsu Valsts ģimnāzija", "1"],
        "--user",
        "33",
    )
    assert "Diemžēl par to man nav laba" in out
    assert "✉️ Nodot jautājumu skolai" in out
    assert "kā uzcept ābolkūku ar kanēli\n\nNosūtīt to skolai?" in out  # carried, not retyped
    assert "Paldies! Jautājums saglabāts" in out
    misses = subprocess.run(
        [sys.executable, "-m", "bot", "kb", "misses"],
        capture_output=True,
        text=True,
        env=bot_env(db_url),
        cwd=ROOT,
        timeout=60,
    )
    assert "[lv]  kā uzcept ābolkūku ar kanēli" in misses.stdout


def test_topics_paging_and_articles(db_url: str) -> None:
    out = chat(db_url, ["1", "/topics", "2", "7", "1"], "--user", "34")
    assert "Izvēlieties tēmu:" in out
    first, second = out.split("Atbalsta plāns (lapa 1 no 2)")[1].split("(lapa 2 no 2)")
    assert "[7] Nākamie ➡️" in first and "Iepriekšējie" not in first
    assert "[6] ⬅️ Iepriekšējie" in second and "Nākamie" not in second.split("\n\n")[0]
    assert "📖 Lasīt vairāk" in second  # the article opened from page 2


def test_bad_questions_never_break(db_url: str) -> None:
    lines = ["1", "x", "😀😀😀", "SELECT * FROM users; DROP TABLE plans;--", "a" * 3000, "Ёжик ё"]
    out = chat(db_url, lines, "--user", "35")
    assert "Jautājums ir par īsu" in out
    assert out.count("\n\n") >= 6  # every line got an answer
