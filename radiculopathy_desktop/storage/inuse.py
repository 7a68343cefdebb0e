"""Who is using the database: a lock file beside it, never the database file itself.

Every user of the database in this app (the window's store, a command's store, a
backup, a check) holds a *shared* lock on ``<data folder>/.radiculopathy.sqlite3.inuse``
for as long as it has the database open; a restore takes the *exclusive* lock and
holds it across its safety backup and the swap. So a restore is refused while the
window or any command has the database open, and nothing can open the database while
a restore is replacing it.

Why a separate file: SQLite's own locks cannot see an idle connection in rollback
(DELETE) mode, and opening the database file outside SQLite drops the process's
POSIX locks on it (see ``db.raw_file``). The lock here is ``flock`` on a file SQLite
never touches, so it is independent of SQLite's locks. Where ``flock`` does not
exist (Windows) the lock is a no-op and the restore relies on SQLite's own checks.
A read-only folder where the lock file cannot be created is not locked either (the
database cannot be written there anyway).
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from pathlib import Path
from typing import Iterator

from radiculopathy_desktop.domain.vocab import StorageErrorKind
from radiculopathy_desktop.storage.errors import StorageError

try:  # POSIX only
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

LOCK_NAME = ".radiculopathy.sqlite3.inuse"
POLL_S = 0.05


def lock_path(db_path: Path) -> Path:
    return Path(db_path).parent / LOCK_NAME


class InUse:
    """One holder of the lock (shared or exclusive); :meth:`release` ends it."""

    def __init__(self, fd: int | None):
        self._fd = fd

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)  # closing releases the flock (this file is not the database)

    def __enter__(self) -> "InUse":
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _open_lock_file(db_path: Path) -> int | None:
    if fcntl is None:
        return None
    try:
        return os.open(lock_path(db_path), os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError:
        return None  # a read-only or missing folder: nothing can be written there anyway


def _acquire(db_path: Path, how: int, wait_s: float) -> InUse | None:
    fd = _open_lock_file(db_path)
    if fd is None:
        return InUse(None)
    deadline = time.monotonic() + max(0.0, wait_s)
    while True:
        try:
            fcntl.flock(fd, how | fcntl.LOCK_NB)
            return InUse(fd)
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                return None
            time.sleep(POLL_S)
        except OSError:  # a file system without flock: do without
            return InUse(fd)


def shared(db_path: Path, wait_s: float) -> InUse:
    """Say "I have the database open"; waits up to ``wait_s`` for a restore to finish."""
    held = _acquire(db_path, fcntl.LOCK_SH if fcntl else 0, wait_s)
    if held is None:
        raise StorageError(StorageErrorKind.LOCKED, (
            f"The database is being replaced by a restore from a backup (started in another window or a "
            f"command) and could not be opened within {wait_s:g} seconds. Nothing was changed. Wait for the "
            f"restore to finish, then try again. Database: {db_path}"))
    return held


def exclusive(db_path: Path, wait_s: float) -> InUse:
    """The only user (for a restore); refused when anything else has the database open."""
    held = _acquire(db_path, fcntl.LOCK_EX if fcntl else 0, wait_s)
    if held is None:
        raise StorageError(StorageErrorKind.LOCKED, (
            "The database is open in Radiculopathy Desktop (a window, or a command still running), so it "
            "cannot be replaced now: a restore would lose what is saved there meanwhile. Nothing was changed. "
            "Close the window (or restore from its Backups view, which closes the database first) and wait "
            f"for running commands to finish, then try again. Database: {db_path}"))
    return held


@contextlib.contextmanager
def using(db_path: Path, wait_s: float) -> Iterator[InUse]:
    held = shared(db_path, wait_s)
    try:
        yield held
    finally:
        held.release()
