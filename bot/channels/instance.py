"""The name this process uses for its leases on shared queue rows."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket

# Long enough to outlast a busy round (a few seconds); short enough that a crashed process's
# chats move to another one quickly. Each round renews the leases it still needs.
LEASE = dt.timedelta(seconds=20)


def instance_name() -> str:
    """Host, process id and a random tail: unique even when a container reuses a pid."""
    return f"{socket.gethostname()[:20]}:{os.getpid()}:{secrets.token_hex(3)}"[:40]
