"""The coordinator's view over Telegram: the chart arrives as a photo, the report as a workbook."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from tests.e2e.harness import button, cli_invite, running_bot, wait_text

COORD, TEACHER = 911, 912


def test_dashboard_sends_a_chart_and_an_xlsx_report(db_url: str, tmp_path: Path) -> None:
    coordinator = cli_invite(db_url, "coordinator", "Siguldas pamatskola")
    teacher = cli_invite(db_url, "teacher", "Siguldas pamatskola")
    with running_bot(db_url, tmp_path) as (tg, _bot):
        tg.send_text(COORD, f"/start {coordinator}")
        wait_text(tg, COORD, "Galvenā izvēlne")
        tg.send_text(TEACHER, f"/start {teacher}", language_code="ru")
        wait_text(tg, TEACHER, "Главное меню")
        tg.send_text(TEACHER, "/dashboard", language_code="ru")
        wait_text(tg, TEACHER, "Команда /dashboard недоступна для вашей роли.")

        tg.send_text(COORD, "/dashboard")
        wait_text(tg, COORD, "Pārskats: Siguldas pamatskola")
        choose = wait_text(tg, COORD, "Ko atvērt?")
        tg.wait_for(lambda: any(c.ok for c in tg.calls("sendPhoto")), timeout=30)
        photo = next(c for c in tg.calls("sendPhoto") if c.ok)
        picture = next(iter(photo.files.values())).data
        assert picture.startswith(b"\x89PNG") and len(picture) > 10_000

        tg.press_button(COORD, choose, button(choose, "XLSX"))
        tg.wait_for(lambda: any(c.ok for c in tg.calls("sendDocument")), timeout=30)
        upload = next(iter(next(c for c in tg.calls("sendDocument") if c.ok).files.values()))
        assert upload.filename.startswith("report-siguldas-pamatskola-")
        assert upload.filename.endswith(".xlsx")
        with zipfile.ZipFile(io.BytesIO(upload.data)) as workbook:
            sheet = workbook.read("xl/worksheets/sheet1.xml").decode()
        assert "Siguldas pamatskola" in sheet and "Plāni pēc statusa" in sheet
        assert [int(c.chat_id or 0) for c in tg.calls("sendPhoto") if c.ok] == [COORD]
