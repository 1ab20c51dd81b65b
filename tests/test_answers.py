"""Questions in chat: the three bands, feedback, "none of these", passing to the school, topics."""

from __future__ import annotations

import subprocess
import sys

from tests.console_run import ROOT, bot_env, chat, run_cli


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


def test_a_question_typed_at_the_welcome_is_answered_once_the_language_is_chosen(
    db_url: str,
) -> None:
    lines = ["Здравствуйте!", "Что делать, если ребёнок часто пропускает школу?", "2"]
    out = chat(db_url, lines, "--user", "36", "--lang", "ru")
    assert out.count("Ваше сообщение сохранено. Выберите язык") == 2
    assert "Пожалуйста, выберите одну из кнопок" not in out
    after = out.split("Хорошо, дальше пишу по-русски.")[1]
    assert "Пропуски без уважительной причины" in after  # answered, in the language chosen
    assert "Главное меню" not in after  # the answer is the reply, not the menu
    misses = run_cli(db_url, "kb", "misses")
    assert "пропускает" not in misses.stdout  # answered, so not among the questions missed


def test_a_greeting_typed_at_the_welcome_leads_to_the_menu(db_url: str) -> None:
    out = chat(db_url, ["Sveiki!", "1"], "--user", "37")
    assert "Jūsu ziņu saglabāju" in out
    after = out.split("Labi, turpmāk rakstīšu latviski.")[1]
    assert "Galvenā izvēlne" in after and "Diemžēl" not in after


def test_greetings_and_thanks_get_a_reply_in_kind_not_a_search(db_url: str) -> None:
    lv = chat(db_url, ["1", "Labdien!", "Liels paldies :)"], "--user", "38")
    assert "Labdien! Uzrakstiet savu jautājumu" in lv
    assert "Lūdzu! Ja radīsies vēl kāds jautājums" in lv
    ru = chat(db_url, ["2", "добрый день", "Спасибо!!!"], "--user", "39", "--lang", "ru")
    assert "Здравствуйте! Напишите свой вопрос" in ru
    assert "Пожалуйста! Если появятся ещё вопросы" in ru
    assert "Diemžēl" not in lv and "хорошей статьи" not in ru
    misses = run_cli(db_url, "kb", "misses")
    assert "labdien" not in misses.stdout.lower() and "спасибо" not in misses.stdout.lower()
