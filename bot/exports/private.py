"""Where files with personal data wait to be sent: a folder only this process's user can enter.

The default folder has a predictable name in the shared temporary directory. If it already
exists and is not ours alone (another user made it, or it is a link, or it is open to others),
nothing is written there: a new private folder is used instead, so no plan or report can be
read by someone who prepared the folder in advance.
"""

from __future__ import annotations

import logging
import os
import stat
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)
_instead: dict[Path, Path] = {}  # an untrusted folder -> the private one used this run


def private_folder(path: Path) -> Path:
    """`path`, created if need be, when only we can enter it; else a private folder of our own."""
    if path in _instead:
        return _instead[path]
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if _ours_alone(path):
        return path
    log.warning("export folder %s is not private to this user; using a private one", path)
    _instead[path] = Path(tempfile.mkdtemp(prefix="pumpurs-exports-"))
    return _instead[path]


def private_file(path: Path) -> Path:
    """The written file readable and writable by us only (a report, a plan, personal data)."""
    path.chmod(0o600)
    return path


def _ours_alone(path: Path) -> bool:
    info = path.lstat()
    owner = getattr(os, "getuid", lambda: info.st_uid)()  # no owners to compare on Windows
    return stat.S_ISDIR(info.st_mode) and info.st_uid == owner and not info.st_mode & 0o077
