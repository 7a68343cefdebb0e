"""Temporary files left by a killed backup, restore or database creation, and their sweep.

Kept apart from :mod:`radiculopathy_desktop.storage.backup` (which re-exports them): every
opening of the database sweeps (``storage/opening.py``), and an opening needs nothing else
of the backup module unless a schema update backs up first, so the window's start-up does
not load it (issue 17). Pure Python, no Qt.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from pathlib import Path

log = logging.getLogger("radiculopathy_desktop.storage.backup")  # the sweep's messages, as before the move

# Temporary files of a backup, a restore or a new database: ".<final name>.<pid>.<token>.<kind>"
# (and SQLite's side files of them). A killed process leaves them; the next backup,
# restore or opening removes those whose process is gone.
# ".tmp": the backup notes (backup_settings._write_json) are replaced through one.
_TEMP = re.compile(r"^\..+\.(\d+)(?:\.t[0-9a-f]+)?\.(?:partial|new|restore|tmp)(?:-journal|-wal|-shm)?$")


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True  # maybe another thread's, still being written
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def sweep_leftovers(folder: Path) -> list[Path]:
    """Delete temporary files (and their journals) left by a killed backup, restore or creation.

    Only files named as ``storage/backup.py`` and ``db`` name their temporary files, and only
    when the process that made them has gone: a backup running elsewhere keeps its file.
    """
    removed = []
    try:
        names = [p for p in Path(folder).iterdir() if p.name.startswith(".")]
    except OSError:
        return removed
    for p in names:
        m = _TEMP.match(p.name)
        if m and not _pid_alive(int(m.group(1))):
            with contextlib.suppress(FileNotFoundError, IsADirectoryError, PermissionError):
                p.unlink()
                removed.append(p)
    if removed:
        log.info("removed %d file(s) left by an interrupted backup or restore", len(removed))
    return removed
