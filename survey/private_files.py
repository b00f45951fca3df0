"""Everything the platform writes is readable by its owner only (issue 21, item 1).

The database holds contacts, drafts and the hashes of live links; its WAL and SHM files hold
recent pages of it; backups, links files, exports and reports hold the same. Rather than set a
mode on each file where it is opened (and miss the WAL that SQLite creates itself, or a report's
chart folder), the process's umask is set once, by the command line and by the app factory alike:
every file and folder created afterwards is 0600 or 0700. SQLite gives its WAL and SHM files
the mode of the database file. Files an older release left readable are tightened at start.
"""

from __future__ import annotations

import os
from pathlib import Path

UMASK = 0o077  # group and others get nothing
FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_umask() -> None:
    """Make every file and folder this process creates from now on private to its owner."""
    os.umask(UMASK)


def private_instance(instance_path: str | Path) -> None:
    """Create the instance folder (0700), and tighten it and the SQLite files in it if they are open to others."""
    folder = Path(instance_path)
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    _tighten(folder, FOLDER_MODE)
    for name in ("awareness.sqlite", "awareness.sqlite-wal", "awareness.sqlite-shm"):
        _tighten(folder / name, FILE_MODE)


def _tighten(path: Path, mode: int) -> None:
    try:
        status = path.stat()
    except FileNotFoundError:
        return
    # Only what this user owns, and only ever narrower: a mode set on purpose by an operator stays.
    if status.st_uid == os.getuid() and status.st_mode & 0o077:
        path.chmod(status.st_mode & mode & 0o777)
