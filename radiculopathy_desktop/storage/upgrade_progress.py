"""Who hears how far the one-time derived-data upgrade is (``CaseStore.upgrade_derived_data``).

The first open of a database after an upgrade of the app rewrites every case's
derived rows (review facts, their history, dose alerts, outcome facts): a few seconds
at 10,000 cases, minutes at 100,000. A front end sets :data:`listener` so the person
waiting sees why (the command line: a line on the terminal); the window runs the
upgrade in a thread with its own dialog instead (``ui/upgrading.py``). Kept in this
tiny module so setting it imports no storage code. Only counts pass through it.
"""

from __future__ import annotations

from typing import Callable

#: ``listener(cases_done, cases_total)``: at the start (0), every :data:`STEP` cases and at the end.
listener: Callable[[int, int], None] | None = None
STEP = 1000
#: Below this many cases the upgrade takes about a second: nothing is said.
SAY_FROM = 2000


# --------------------------------------------------------------------------- who is upgrading (rt7 R7)
# While one process runs the upgrade it holds the SQLite write lock for minutes, and any
# other command or window that needs to write meanwhile waits out the busy timeout. So that
# it can say why, the upgrading process also holds an exclusive ``flock`` on a small file
# beside the database for exactly as long as it holds that write transaction. The OS drops
# the lock when the process ends, however it ends (a kill -9 leaves no false "upgrading").
# Where ``flock`` does not exist (Windows) there is no marker and the plain "busy" stands.

MARKER_NAME = ".radiculopathy.sqlite3.upgrading"


def marker_path(db_path) -> "Path":
    from pathlib import Path

    return Path(db_path).parent / MARKER_NAME


class _Marker:
    def __init__(self, db_path):
        self._path = marker_path(db_path)
        self._fd: int | None = None

    def __enter__(self) -> "_Marker":
        import os

        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return self
        try:
            fd = os.open(self._path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
        except OSError:  # a folder that cannot hold it: the plain "busy" message stands
            return self
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # held (cannot be: the caller holds the write lock) or no flock here
            os.close(fd)
            return self
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        import os

        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                os.unlink(self._path)  # before the lock goes: nobody sees a stale marker as held
            except OSError:
                pass
            os.close(fd)


def upgrading(db_path) -> _Marker:
    """Held by the process running the upgrade, inside its write transaction."""
    return _Marker(db_path)


def upgrade_running_elsewhere(db_path) -> bool:
    """True only when another process holds the marker now (the upgrade is running there)."""
    import os

    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return False
    try:
        fd = os.open(marker_path(db_path), os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:  # no marker: nobody is upgrading
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)
    return False


#: What a command or the window says when the lock holder is the upgrade.
BUSY_UPGRADING = ("The database is busy: another Radiculopathy Desktop (a window or a command) is doing the one-time "
                  "update of the tracker after an upgrade (this can take a few minutes at large clinics); wait for "
                  "it to finish and try again. Nothing was changed. Database: {path}")
