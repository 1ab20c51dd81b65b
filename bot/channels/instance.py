"""The name this process uses for its leases on shared queue rows."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket

# A live process renews its leases every second or two (the inbox worker's loop, the sender's
# heartbeat), so this only bounds how long a crashed process's chats wait for another one.
LEASE = dt.timedelta(seconds=6)


def instance_name() -> str:
    """Host, process id and a random tail: unique even when a container reuses a pid."""
    return f"{socket.gethostname()[:20]}:{os.getpid()}:{secrets.token_hex(3)}"[:40]
