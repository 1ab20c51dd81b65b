"""SIGKILL the bot mid-dialog and mid-burst: after a restart nothing is lost or applied twice."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from bot.channels.sender import Limits
from bot.storage.models import InboxUpdate, SchoolQuestion
from tests.e2e.harness import button, running_bot, table_rows, texts, wait_text


def test_sigkill_mid_dialog_keeps_step_and_answers(db_url: str, tmp_path: Path) -> None:
    with running_bot(db_url, tmp_path) as (tg, bot):
        tg.send_text(21, "/start")
        welcome = wait_text(tg, 21, "Sveiki!")
        tg.press_button(21, welcome, button(welcome, "Latviešu"))
        menu = wait_text(tg, 21, "Galvenā izvēlne")
        tg.press_button(21, menu, button(menu, "jautājumu skolai"))
        wait_text(tg, 21, "Solis 1 no 3")
        tg.send_text(21, "Liepājas Valsts ģimnāzija")
        wait_text(tg, 21, "Solis 2 no 3")
        bot.kill()
        bot.start()
        tg.send_text(21, "Kā skola palīdz, ja bērns bieži slimo?")
        confirm = wait_text(tg, 21, "Solis 3 no 3")
        tg.press_button(21, confirm, button(confirm, "Jā"))
        wait_text(tg, 21, "Paldies!")
    rows = table_rows(db_url, SchoolQuestion)
    assert [(r.school_hint, r.text) for r in rows] == [
        ("Liepājas Valsts ģimnāzija", "Kā skola palīdz, ja bērns bieži slimo?")
    ]


def test_sigkill_during_a_burst_answers_every_update(db_url: str, tmp_path: Path) -> None:
    users = list(range(100, 112))
    per_user = 3
    with running_bot(db_url, tmp_path) as (tg, bot):
        for user in users:
            tg.send_text(user, "/start")
        tg.wait_for(lambda: all(tg.sent_messages(u) for u in users), timeout=30)
        sent_before = sum(len(tg.sent_messages(u)) for u in users)
        for round_ in range(per_user):
            for user in users:
                tg.send_text(user, "/menu" if round_ % 2 == 0 else "/help")
        time.sleep(0.8)  # the bot is working through the burst...
        bot.kill()  # ...and dies mid-way
        bot.start()
        expected = len(users) * (1 + per_user)
        tg.wait_for(lambda: sum(len(tg.sent_messages(u)) for u in users) >= expected, timeout=60)
        time.sleep(1.5)  # anything sent twice would arrive now
        counts = Counter({u: len(tg.sent_messages(u)) for u in users})
        extra = sum(counts.values()) - expected
        assert sent_before >= len(users)
        assert all(counts[u] >= 1 + per_user for u in users), counts
        # Only calls that were in flight at the kill can repeat (at most one per busy chat).
        assert 0 <= extra <= Limits().concurrency, counts
        for user in users:
            shown = texts(tg, user)[1:]
            assert shown[-1].startswith(("Galvenā izvēlne", "Es atbildu")), shown
    inbox = table_rows(db_url, InboxUpdate)
    assert {r.status for r in inbox} == {"done"}
    assert len(inbox) == len(users) * (1 + per_user)
