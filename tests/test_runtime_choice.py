"""BOT_FRAMEWORK picks the Telegram runtime; a missing optional extra is one clear line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TOKEN = "123456:TESTtoken_abcdefghijklmnopqrstu"


def test_ptb_without_the_extra_says_how_to_install_it(tmp_path: Path) -> None:
    # A `telegram` package that fails to import, as on a machine without the ptb extra.
    shadow = tmp_path / "shadow" / "telegram"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'telegram'\", name='telegram')\n"
    )
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env = {
        **keep,
        "PYTHONPATH": str(shadow.parent),
        "BOT_TOKEN": TOKEN,
        "BOT_FRAMEWORK": "ptb",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/never.db",
        "TELEGRAM_API_BASE": "http://127.0.0.1:9",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]  # one line
    assert "ptb extra" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "never.db").exists()  # it stopped before touching anything
