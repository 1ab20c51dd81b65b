"""Entry point for ``python -m tests.fake_telegram``."""

from .server import main

main()
