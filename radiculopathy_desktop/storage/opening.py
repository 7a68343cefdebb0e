"""Opening the database: the folder and file checks, the connection, the journal mode,
then a checked backup and any pending migrations (see :mod:`radiculopathy_desktop.storage.db`
for the order and why).

Above :mod:`~radiculopathy_desktop.storage.db` and :mod:`~radiculopathy_desktop.storage.backup`
(a migration is preceded by a backup, and opening sweeps what a killed restore left),
so neither of those imports this module and the imports show the real dependencies.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path

from radiculopathy_desktop.domain.vocab import StorageErrorKind
from radiculopathy_desktop.storage import inuse, schema, upgrade_progress
from radiculopathy_desktop.storage import db as dbmod
from radiculopathy_desktop.storage import leftovers
from radiculopathy_desktop.storage.engine_common import DERIVED_VERSION_KEY
from radiculopathy_desktop.storage.paths import check_data_folder, is_network_filesystem

log = logging.getLogger(__name__)

#: How often (SQLite virtual-machine steps) a running migration asks its watcher whether to stop.
STOP_CHECK_EVERY = 100_000


def _set_journal_mode(db, path: Path) -> str:
    wanted = "delete" if is_network_filesystem(path.parent) else "wal"
    current = db.conn.execute("PRAGMA journal_mode").fetchone()[0].lower()
    if current != wanted:
        current = db.conn.execute(f"PRAGMA journal_mode = {wanted}").fetchone()[0].lower()
    return current


def _backup_before_migration(db, path: Path, watcher: "upgrade_progress.SchemaWatcher") -> None:
    """A checked backup of an existing database before any schema migration touches it."""
    if not db.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1").fetchone():
        return  # nothing in it yet: nothing to lose

    def progress(done: int, total: int) -> None:
        if watcher.stop_requested():
            raise upgrade_progress.UpdateStopped()
        watcher.step(upgrade_progress.BACKUP, done, total)

    from radiculopathy_desktop.storage import backup  # only for a schema update: not at every opening
    backup.backup_connection(db.conn, path.parent / backup.BACKUP_DIRNAME, reason="before migration",
                             progress=progress)


def _update_schema(db, path: Path, watcher: "upgrade_progress.SchemaWatcher | None") -> None:
    """The pending migrations, after a checked backup, while holding the update marker.

    A second window or command meanwhile finds the marker held and is told the tracker is
    being updated (``upgrade_progress.BUSY_UPGRADING``) instead of starting a second backup
    and migration of its own. Each migration is its own transaction: one that fails (a full
    disk) or is stopped is rolled back, and the backup made before it is kept."""
    if not schema.pending_names(db):
        return
    watcher = watcher or upgrade_progress.schema_listener or upgrade_progress.SchemaWatcher()
    try:
        marker = upgrade_progress.updating_schema(path).__enter__()
    except upgrade_progress.HeldElsewhere:
        raise dbmod.StorageError(StorageErrorKind.LOCKED, upgrade_progress.BUSY_UPGRADING.format(path=path)) from None
    try:
        pending = schema.pending_names(db)  # again, under the marker: another process may have done it meanwhile
        if not pending:
            return
        log.info("schema update: %d migration(s) pending; a checked backup first", len(pending))
        page_size = db.conn.execute("PRAGMA page_size").fetchone()[0]
        planning = getattr(watcher, "planning", None)  # a watcher written before planning existed has none
        if planning is not None:
            planning(path)
        watcher.begin(page_size * db.conn.execute("PRAGMA page_count").fetchone()[0], len(pending))
        _backup_before_migration(db, path, watcher)
        if watcher.stop_requested():
            raise upgrade_progress.UpdateStopped()
        watcher.step(upgrade_progress.MIGRATE, 0, len(pending))
        # Checked while a migration's statements run (an index build takes seconds at 100,000
        # cases): a stop request interrupts the statement, and its transaction rolls back.
        db.conn.set_progress_handler(lambda: 1 if watcher.stop_requested() else 0, STOP_CHECK_EVERY)
        try:
            schema.migrate(db)
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc) and watcher.stop_requested():
                raise upgrade_progress.UpdateStopped() from None
            raise
        finally:
            db.conn.set_progress_handler(None, 0)
        watcher.step(upgrade_progress.MIGRATE, len(pending), len(pending))
        log.info("schema update: %d migration(s) applied", len(pending))
    finally:
        marker.__exit__(None, None, None)


def open_database(path: Path, *, create: bool = True,
                  busy_timeout_ms: int = dbmod.DEFAULT_BUSY_TIMEOUT_MS,
                  progress: "upgrade_progress.SchemaWatcher | None" = None) -> dbmod.Database:
    """Open (or create) the database at ``path`` after the checks above.

    A schema update (backup, then migrations) is told to ``progress`` (else
    :data:`.upgrade_progress.schema_listener`), which may stop it (:class:`.upgrade_progress.UpdateStopped`)."""
    path = Path(path)
    check_data_folder(path.parent)  # a file, a pipe or an unreadable folder: said in words
    if not path.exists():
        if not create:
            raise dbmod.StorageError(StorageErrorKind.MISSING, (
                f"There is no database yet at {path}. Import cases (`radiculopathy-desktop import FILE.json`) "
                "or create a demo cohort (`radiculopathy-desktop demo --cases 200`) first."), exit_code=2)
        dbmod._secure_folder(path.parent)
        with dbmod.sqlite_errors(path, busy_timeout_ms):
            try:
                dbmod._create_new(path, busy_timeout_ms)
            except OSError as exc:
                raise dbmod.StorageError(StorageErrorKind.PERMISSION, (
                    f"A new database could not be created in {path.parent} ({exc.strerror}). Choose a folder "
                    "you can write to with --data-dir.")) from None
        log.info("created a new database")
    dbmod.check_existing_file(path)  # before anything is created beside a file that may not be ours
    held = inuse.shared(path, busy_timeout_ms / 1000)  # refused while a restore replaces the file
    db = None
    try:
        leftovers.sweep_leftovers(path.parent)  # what a killed restore or creation left, never a live one's
    except BaseException:
        held.release()
        raise
    with dbmod.sqlite_errors(path, busy_timeout_ms):
        try:
            db = dbmod._connect(path, busy_timeout_ms)
            db.in_use, held = held, None
            st = os.stat(path)
            db.path, db.file_id = path, (st.st_dev, st.st_ino)
            db.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            dbmod._check_schema(db, path)
            _set_journal_mode(db, path)
            _update_schema(db, path, progress)
        except BaseException:
            if db is not None:
                db.close()
            if held is not None:
                held.release()
            raise
    return db


def pending_schema_update(path: Path) -> tuple[list[str], int]:
    """The migrations an open of ``path`` would apply, and the file's size in bytes (the
    backup before them copies it all), read without writing; ``([], size)`` when there is
    nothing to do or the file cannot be read (then the real open explains why).

    Lets the window decide, before opening, whether the update needs its progress window."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        return [], 0
    try:
        dbmod.check_existing_file(path)
        conn = dbmod.connect(path, uri=dbmod.sqlite_uri(path, "ro"), timeout=1)
    except (dbmod.StorageError, sqlite3.Error, OSError):
        return [], size
    try:
        ours = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1").fetchone()
        if not ours or conn.execute("PRAGMA user_version").fetchone()[0] > schema.SCHEMA_VERSION:
            return [], size
        wal = path.with_name(path.name + "-wal")
        with_wal = size + (wal.stat().st_size if wal.exists() else 0)
        return schema.pending_names(conn), with_wal
    except sqlite3.Error:
        return [], size
    finally:
        conn.close()


def pending_derived_rewrite(path: Path, current: str) -> int:
    """How many cases the first open of ``path`` will rewrite the stored derived data of
    (0: it is current, or the file cannot be read: then the real open explains why), read
    without writing; ``current`` is this version's (``CaseStore.derived_version()``: the
    store imports this module, so it is passed in). With :func:`pending_schema_update`, lets
    the window plan the steps of one "Updating the tracker" window before the schema update
    starts."""
    from radiculopathy_desktop.domain.settings import decode_stored_json

    path = Path(path)
    try:
        dbmod.check_existing_file(path)
        conn = dbmod.connect(path, uri=dbmod.sqlite_uri(path, "ro"), timeout=1)
    except (dbmod.StorageError, sqlite3.Error, OSError):
        return 0
    try:
        row = conn.execute("SELECT value_json FROM settings WHERE key = ?", (DERIVED_VERSION_KEY,)).fetchone()
        try:
            stored = None if row is None else decode_stored_json(row[0])
        except ValueError:  # damaged: the open rewrites it (CaseStore._stored_derived_version)
            stored = None
        if stored == current:
            return 0
        return conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    except sqlite3.Error:
        return 0
    finally:
        conn.close()
