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
from pathlib import Path

from radiculopathy_desktop.domain.vocab import StorageErrorKind
from radiculopathy_desktop.storage import backup, inuse, schema
from radiculopathy_desktop.storage import db as dbmod
from radiculopathy_desktop.storage.paths import check_data_folder, is_network_filesystem

log = logging.getLogger(__name__)


def _set_journal_mode(db, path: Path) -> str:
    wanted = "delete" if is_network_filesystem(path.parent) else "wal"
    current = db.conn.execute("PRAGMA journal_mode").fetchone()[0].lower()
    if current != wanted:
        current = db.conn.execute(f"PRAGMA journal_mode = {wanted}").fetchone()[0].lower()
    return current


def _backup_before_migration(db, path: Path) -> None:
    """A checked backup of an existing database before any schema migration touches it."""
    if not schema.pending_names(db):
        return
    if not db.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1").fetchone():
        return  # nothing in it yet: nothing to lose
    backup.backup_connection(db.conn, path.parent / backup.BACKUP_DIRNAME, reason="before migration")


def open_database(path: Path, *, create: bool = True,
                  busy_timeout_ms: int = dbmod.DEFAULT_BUSY_TIMEOUT_MS) -> dbmod.Database:
    """Open (or create) the database at ``path`` after the checks above."""
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
        backup.sweep_leftovers(path.parent)  # what a killed restore or creation left, never a live one's
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
            _backup_before_migration(db, path)
            schema.migrate(db)
        except BaseException:
            if db is not None:
                db.close()
            if held is not None:
                held.release()
            raise
    return db
