"""Who hears how far the one-time updates after an upgrade of the app are: the schema
update (a checked backup, then the migrations: ``storage.opening.open_database``) and the
derived-data rewrite (``CaseStore.upgrade_derived_data``).

The first open of a database after an upgrade of the app rewrites every case's
derived rows (review facts, their history, dose alerts, outcome facts): a few seconds
at 10,000 cases, minutes at 100,000. A front end sets :data:`listener` so the person
waiting sees why (the command line: a line on the terminal); the window runs the
upgrade in a thread with its own dialog instead (``ui/upgrading.py``). Kept in this
tiny module so setting it imports no storage code. Only counts pass through it.

The schema update is told to a :class:`SchemaWatcher` (:data:`schema_listener`, or one
passed to ``open_database``): the backup's pages copied, then the migrations applied. The
watcher may ask to stop (the window's "Stop and close"): the backup is then abandoned (its
temporary file deleted) or the migration's statement interrupted and rolled back, and
:class:`UpdateStopped` is raised; the tracker is left as it was.
"""

from __future__ import annotations

from typing import Callable

#: ``listener(cases_done, cases_total)``: at the start (0), every :data:`STEP` cases and at the end.
listener: Callable[[int, int], None] | None = None
STEP = 1000
#: Below this many cases the upgrade takes about a second: nothing is said.
SAY_FROM = 2000

# --------------------------------------------------------------------------- the schema update
#: The two steps of a schema update, as told to :meth:`SchemaWatcher.step`.
BACKUP, MIGRATE = "backup", "migrate"
#: The derived-data rewrite, the third step of a first open that needs both.
DERIVED = "derived"
#: The steps of a first open after an upgrade, in order, and their names, as the window's
#: step line and the command line's lines both say them ("<name> (n of N)").
STEPS = (BACKUP, MIGRATE, DERIVED)
STEP_NAMES = {BACKUP: "Making a safety copy of the tracker before updating it",
              MIGRATE: "Updating the tracker",
              DERIVED: "Updating the stored worklist data"}


def step_title(name: str, steps: int) -> str:
    """Step ``name`` of an update of ``steps`` steps: "Updating the tracker (2 of 3)"; the name
    alone when the update has no numbered steps (``steps`` 0) or fewer than this one's number."""
    number = STEPS.index(name) + 1
    if steps and number <= steps:
        return f"{STEP_NAMES[name]} ({number} of {steps})"
    return STEP_NAMES[name]
#: Below this size (the database file, in bytes) the backup and migrations take about a
#: second: the command line says nothing and the window updates in place, without a window.
#: About 2,500 cases; a 100,000-case tracker is about 600 MB.
SAY_FROM_BYTES = 16 * 1024 * 1024


class SchemaWatcher:
    """Follows a schema update (subclassed by the command line and the window)."""

    def planning(self, path) -> None:
        """Told first, before :meth:`begin`: the database file being updated (the command line
        peeks at it to number the steps, as the window does before opening)."""

    def begin(self, size_bytes: int, migrations: int) -> None:
        """Told once, before the backup: the database's size and how many migrations are pending."""

    def step(self, name: str, done: int, total: int) -> None:
        """``name`` is :data:`BACKUP` (pages copied of ``total``) or :data:`MIGRATE`
        (migrations applied of ``total``): told at 0, as it goes and at ``total``."""

    def stop_requested(self) -> bool:
        """True to stop the update (checked between backup steps and during a migration)."""
        return False


#: The watcher of a schema update when ``open_database`` is given none (the command line's).
schema_listener: SchemaWatcher | None = None


class UpdateStopped(Exception):
    """The person at the window stopped the schema update: nothing was changed."""


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
    def __init__(self, db_path, strict: bool = False):
        self._path = marker_path(db_path)
        self._fd: int | None = None
        self._strict = strict  # held elsewhere: raise HeldElsewhere instead of going on without it
        self.held = False

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
        except BlockingIOError:  # held by another process (for the derived rewrite it cannot be: we hold the write lock)
            os.close(fd)
            if self._strict:
                raise HeldElsewhere(self._path) from None
            return self
        except OSError:  # no flock here
            os.close(fd)
            return self
        try:  # the holder may have removed the file between our open and our lock: ours is then not the marker
            same = os.path.samestat(os.fstat(fd), os.stat(self._path))
        except OSError:
            same = False
        if not same:
            os.close(fd)
            return self.__enter__()
        self._fd = fd
        self.held = True
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


class HeldElsewhere(Exception):
    """Another process holds the marker: it is updating this tracker now."""


def upgrading(db_path) -> _Marker:
    """Held by the process running the upgrade, inside its write transaction."""
    return _Marker(db_path)


def updating_schema(db_path) -> _Marker:
    """Held by the process running a schema update (backup and migrations), which holds no
    write lock during the backup: raises :class:`HeldElsewhere` when another process holds it."""
    return _Marker(db_path, strict=True)


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
