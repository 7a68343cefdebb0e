"""Backups and restore with SQLite's online backup API.

* :func:`backup_connection` / :func:`backup_database` copy a live database (other
  readers and writers may keep working) into
  ``<data_dir>/backups/radiculopathy-YYYYMMDD-HHMMSS.sqlite3`` (file 0600, folder
  0700), check the copy with ``PRAGMA integrity_check`` (a copy that fails is deleted
  and a :class:`StorageError` raised) and prune the oldest beyond ``keep``.
* :func:`restore` refuses a file that is not a whole, sound Radiculopathy Desktop
  database of a schema this version knows (nothing is changed then), takes a safety
  backup of the current database, and swaps the restored copy in atomically (backup
  API into a temporary file in the same folder, fsync, ``os.replace``). The safety
  backup's path is returned, so ``restore(safety_backup)`` undoes the restore.
* :func:`check_database` is a read-only quick check (never writes to the file).

The schema code calls :func:`backup_connection` before applying any migration to an
existing database (see :func:`radiculopathy_desktop.storage.opening.open_database`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import sqlite3
from dataclasses import dataclass
from typing import Callable
from pathlib import Path


from radiculopathy_desktop.domain.vocab import StorageErrorKind
from radiculopathy_desktop.storage import db as dbmod
from radiculopathy_desktop.storage import inuse, schema
from radiculopathy_desktop.storage.backup_folder import (BACKUP_DIRNAME, BACKUP_PREFIX, BACKUP_SUFFIX, _NAME,
                                                         list_backups, record_backup_reason)
from radiculopathy_desktop.storage.backup_folder import secure_dir as _secure_dir
from radiculopathy_desktop.storage.access import login_name
from radiculopathy_desktop.storage.db import StorageError
from radiculopathy_desktop.storage.paths import database_path
# The temporary files' names and their sweep live apart (storage/leftovers.py): every opening
# sweeps, and an opening needs nothing else of this module unless a schema update backs up first.
from radiculopathy_desktop.storage.leftovers import _TEMP, _pid_alive, sweep_leftovers  # noqa: F401

log = logging.getLogger(__name__)

DEFAULT_KEEP = 14
KEEP_ENV = "RADICULOPATHY_DESKTOP_BACKUP_KEEP"
KEEP_SETTING = "backup_keep"  # the settings-table key for the number of backups kept
MIN_KEEP, MAX_KEEP = 1, 365
DAMAGED_MARK = ".damaged-"  # radiculopathy.sqlite3.damaged-YYYYMMDD-HHMMSS: a damaged database kept aside


@dataclass(frozen=True)
class BackupResult:
    path: Path
    integrity: tuple[str, ...]  # ("ok",) when sound
    pruned: tuple[Path, ...] = ()

    @property
    def ok(self) -> bool:
        return self.integrity == ("ok",)


@dataclass(frozen=True)
class RestoreResult:
    database: Path
    restored_from: Path
    safety_backup: Path
    # Audit entries of the replaced database made after the backup was taken (gone with
    # its data; they are still in the safety backup); None when it could not be counted.
    audit_rows_removed: int | None = None


RESTORE_ACTION = "database_restored"  # the audit entry a restore writes into the restored database
LOCK_WAIT_S = 5.0  # how long a restore waits for running commands to finish before refusing


# --------------------------------------------------------------------------- helpers
def default_keep() -> int:
    try:
        value = int(os.environ.get(KEEP_ENV, DEFAULT_KEEP))
    except ValueError:
        return DEFAULT_KEEP
    return max(1, value)


def stored_keep(conn: sqlite3.Connection) -> int | None:
    """The number of backups to keep saved in the database's settings (key ``backup_keep``), or None.

    Read-only, never raises: an unset, unreadable or out-of-range value is None. (The
    Settings view writes the value, audited, through ``storage.backup_settings``.)
    """
    try:
        row = conn.execute("SELECT value_json FROM settings WHERE key = ?", (KEEP_SETTING,)).fetchone()
    except sqlite3.Error:
        return None
    if row is None:
        return None
    try:
        value = json.loads(row[0])
    except (TypeError, ValueError):
        return None
    return valid_keep(value)


def valid_keep(value) -> int | None:
    """A stored "number of backups to keep" value as a number, or None when it is not a valid one."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_KEEP <= value <= MAX_KEEP:
        return None
    return value


def configured_keep(conn: sqlite3.Connection | None = None) -> int:
    """How many backups to keep: the stored setting, else ``RADICULOPATHY_DESKTOP_BACKUP_KEEP``, else 14."""
    stored = stored_keep(conn) if conn is not None else None
    return stored if stored is not None else default_keep()


def backup_folder(data_dir: str | os.PathLike | None = None) -> Path:
    return database_path(data_dir).parent / BACKUP_DIRNAME


def _fsync_path(path: Path, directory: bool = False) -> None:
    if not directory:  # a database file: through raw_file, which never drops SQLite's locks
        with contextlib.suppress(OSError), dbmod.raw_file(path) as fd:
            os.fsync(fd)
        return
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _temp_file(folder: Path, final_name: str, kind: str = "partial") -> Path:
    """A new, empty, owner-only temporary file in ``folder``, named so :func:`sweep_leftovers` knows it."""
    path = folder / f".{final_name}.{os.getpid()}.t{os.urandom(4).hex()}.{kind}"
    dbmod.fresh_private_file(path)
    return path


def _discard(tmp: Path) -> None:
    for p in (tmp, tmp.with_name(tmp.name + "-journal"), tmp.with_name(tmp.name + "-wal"),
              tmp.with_name(tmp.name + "-shm")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def _publish(tmp: Path, folder: Path, stamp: str, suffix: str = BACKUP_SUFFIX) -> Path:
    """Give the finished temporary file ``tmp`` the next free backup name; never overwrite one."""
    # After the last one of this second (even if older ones were pruned), so names sort by age.
    same = [int(m.group(2) or 0) for p in folder.iterdir() if (m := _NAME.match(p.name)) and m.group(1) == stamp]
    n = max(same) + 1 if same else 0
    while True:
        path = folder / f"{BACKUP_PREFIX}{stamp}{'' if n == 0 else f'-{n}'}{suffix}"
        try:
            os.link(tmp, path)
        except FileExistsError:
            n += 1
            continue
        except OSError:  # a file system without hard links (a FAT backup drive)
            if path.exists():
                n += 1
                continue
            os.replace(tmp, path)
        else:
            tmp.unlink()
        _fsync_path(folder, directory=True)
        return path


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete the oldest backups beyond ``keep``; return what was deleted."""
    backups = list_backups(folder)
    doomed = backups[:max(0, len(backups) - max(1, keep))]
    for p in doomed:
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
    if doomed:
        log.info("pruned %d old backup(s)", len(doomed))
    return doomed


def _ro_connect(path: Path) -> sqlite3.Connection:
    return dbmod.connect(path, uri=dbmod.sqlite_uri(path, "ro"), timeout=5)


#: A progress-reporting copy takes about this many steps (a step every ~1 %).
PROGRESS_STEPS = 100


def _copy_into(source: sqlite3.Connection, dest: Path,
               progress: "Callable[[int, int], None] | None" = None) -> None:
    """Online-backup ``source`` into the (existing, empty) file ``dest``; DELETE journal; fsync.

    With ``progress(pages_done, pages_total)`` the copy is made in steps (told at 0, after
    each step and at the end; it may raise to abandon the copy) inside one read transaction
    of ``source``, so it is one snapshot and a write by another program meanwhile never
    restarts it (which would send the count backwards)."""
    target = dbmod.connect(dest)
    try:
        if progress is None:
            source.backup(target)
        else:
            _copy_in_steps(source, target, progress)
        # The copy inherits the source's WAL flag; a standalone file is simpler in DELETE mode.
        target.execute("PRAGMA journal_mode = DELETE").fetchone()
        target.commit()
    finally:
        target.close()
    for leftover in (dest.with_name(dest.name + "-wal"), dest.with_name(dest.name + "-shm")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
    _fsync_path(dest)


def _copy_in_steps(source: sqlite3.Connection, target: sqlite3.Connection,
                   progress: "Callable[[int, int], None]") -> None:
    own = not source.in_transaction
    if own:
        source.execute("BEGIN")
        source.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the read snapshot starts here
    try:
        total = source.execute("PRAGMA page_count").fetchone()[0]
        progress(0, total)
        told = [0]

        def step(_status: int, remaining: int, pages: int) -> None:
            done = pages - remaining
            if done > told[0]:
                told[0] = done
                progress(done, pages)

        source.backup(target, pages=max(64, total // PROGRESS_STEPS), progress=step)
        if told[0] < total:
            progress(total, total)
    finally:
        if own and source.in_transaction:
            source.execute("COMMIT")  # a read transaction: nothing to commit, the snapshot ends


def _integrity(path: Path) -> tuple[str, ...]:
    try:
        conn = _ro_connect(path)
        try:
            return tuple(r[0] for r in conn.execute("PRAGMA integrity_check"))
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return (f"SQLite reports: {exc}",)


# --------------------------------------------------------------------------- backup
def backup_connection(conn: sqlite3.Connection, folder: Path, keep: int | None = None,
                      prune_old: bool = True, reason: str = "backup",
                      progress: "Callable[[int, int], None] | None" = None) -> BackupResult:
    """Copy the database behind ``conn`` into a new, checked backup file in ``folder``.

    ``progress(pages_done, pages_total)`` hears how far the copy is (see :func:`_copy_into`);
    anything it raises abandons the backup: the temporary file is deleted, nothing is listed."""
    folder = Path(folder)
    _secure_dir(folder)
    sweep_leftovers(folder)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    # Written and checked under a temporary name: a killed backup is never listed, nor
    # counted among the backups kept.
    tmp = _temp_file(folder, f"{BACKUP_PREFIX}{stamp}{BACKUP_SUFFIX}")
    try:
        with dbmod.sqlite_errors(tmp):
            _copy_into(conn, tmp, progress)
        result = _integrity(tmp)
        if result == ("ok",):
            dest = _publish(tmp, folder, stamp)
    except BaseException:
        _discard(tmp)
        raise
    if result != ("ok",):
        _discard(tmp)
        raise StorageError(StorageErrorKind.CORRUPT, (
            "The backup copy failed its integrity check, so it was deleted (" + "; ".join(result[:5]) + "). "
            "The database itself may be damaged: run `radiculopathy-desktop check`, and restore from an "
            "earlier backup if it reports problems."))
    pruned = tuple(prune(folder, keep if keep is not None else default_keep())) if prune_old else ()
    log.info("%s: backup written and checked", reason)
    note = AUTOMATIC_REASONS.get(reason)
    if note is not None:  # shown in Settings > Data and backups; callers with more to say overwrite it
        record_backup_reason(dest, note)
    return BackupResult(dest, result, pruned)


#: Why an automatic backup was made, in words for the list of backups in the window.
AUTOMATIC_REASONS = {
    "daily": "daily automatic backup (window open)",
    "before migration": "automatic, before a database upgrade",
    "before restore": "safety copy before a restore",
}


def backup_database(data_dir: str | os.PathLike | None = None, to: str | os.PathLike | None = None,
                    keep: int | None = None, reason: str = "backup") -> BackupResult:
    """Back up the database in ``data_dir`` (into ``to``, default ``<data_dir>/backups``).

    Opens the file read-only: a backup never changes the database.
    """
    path = database_path(data_dir)
    if not path.exists():
        raise StorageError(StorageErrorKind.MISSING, f"There is no database to back up at {path}.", exit_code=2)
    dbmod.check_existing_file(path)
    folder = Path(to) if to is not None else path.parent / BACKUP_DIRNAME
    with inuse.using(path, dbmod.DEFAULT_BUSY_TIMEOUT_MS / 1000), dbmod.sqlite_errors(path):
        conn = _ro_connect(path)
        try:
            return backup_connection(conn, folder, keep=keep, prune_old=to is None, reason=reason)
        finally:
            conn.close()


def backup_if_due(data_dir: str | os.PathLike | None = None, max_age: dt.timedelta = dt.timedelta(days=1),
                  keep: int | None = None) -> BackupResult | None:
    """The daily backup: make one when the newest is older than ``max_age`` (for the window's timer)."""
    folder = backup_folder(data_dir)
    backups = list_backups(folder)
    if backups:
        age = dt.datetime.now().timestamp() - backups[-1].stat().st_mtime
        if age < max_age.total_seconds():
            return None
    return backup_database(data_dir, keep=keep, reason="daily")


# --------------------------------------------------------------------------- checks
def _refuse(path: Path, kind: str, detail: str) -> StorageError:
    return StorageError(kind, (
        f"{path} cannot be restored: {detail}. Nothing was changed. Choose another backup "
        "(they are in the backups folder beside the database)."), exit_code=2)


def validate_backup(path: Path) -> None:
    """Raise :class:`StorageError` (exit 2) unless ``path`` is a sound database this version can open."""
    path = Path(path)
    try:
        if not path.is_file():
            raise _refuse(path, StorageErrorKind.MISSING, "there is no such file")
        header = dbmod.read_header(path)
        size = path.stat().st_size
    except OSError as exc:
        raise _refuse(path, StorageErrorKind.PERMISSION, f"it could not be read ({exc.strerror})") from None
    if len(header) < 100 or header[:16] != dbmod.SQLITE_MAGIC:
        raise _refuse(path, StorageErrorKind.NOT_A_DATABASE, "it is not an SQLite database file")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    if page_size < 512 or page_size & (page_size - 1):
        raise _refuse(path, StorageErrorKind.CORRUPT, "its file header is invalid")
    if header[24:28] == header[92:96] and size < page_count * page_size:
        raise _refuse(path, StorageErrorKind.CORRUPT, f"it is truncated ({size} bytes where its header says "
                                       f"{page_count * page_size})")
    try:
        conn = _ro_connect(path)
        try:
            result = tuple(r[0] for r in conn.execute("PRAGMA integrity_check"))
            if result != ("ok",):
                raise _refuse(path, StorageErrorKind.CORRUPT, "it fails the integrity check (" + "; ".join(result[:5]) + ")")
            try:
                dbmod._check_schema(conn, path)
            except StorageError as exc:
                raise _refuse(path, exc.kind, {
                    "newer_schema": "it was written by a newer version of Radiculopathy Desktop",
                    "not_a_database": "it is an SQLite database made by another program",
                }.get(exc.kind, exc.message)) from None
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if schema.MIGRATIONS_TABLE not in tables or "case_documents" not in tables:
                raise _refuse(path, StorageErrorKind.NOT_A_DATABASE, "it is not a Radiculopathy Desktop database")
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise _refuse(path, StorageErrorKind.CORRUPT, f"SQLite cannot read it ({exc})") from None


def check_database(data_dir: str | os.PathLike | None = None, full: bool = False) -> tuple[str, ...]:
    """``PRAGMA quick_check`` (or ``integrity_check``) of the database, read-only: ("ok",) when sound.

    Raises :class:`StorageError` for a missing, unreadable or not-SQLite file.
    """
    path = database_path(data_dir)
    if not path.exists():
        raise StorageError(StorageErrorKind.MISSING, f"There is no database at {path}.", exit_code=2)
    header = dbmod.read_header(path)
    if len(header) < 100 or header[:16] != dbmod.SQLITE_MAGIC:
        return ("the file is not an SQLite database (wrong or missing header)",)
    try:
        dbmod.check_existing_file(path)
    except StorageError as exc:
        if exc.kind in ("corrupt", "not_a_database"):
            return (exc.message,)
        if exc.kind != "read_only":
            raise
    try:
        with inuse.using(path, dbmod.DEFAULT_BUSY_TIMEOUT_MS / 1000):
            conn = _ro_connect(path)
            try:
                conn.execute("PRAGMA busy_timeout = 5000")
                pragma = "integrity_check" if full else "quick_check"
                return tuple(r[0] for r in conn.execute(f"PRAGMA {pragma}"))
            finally:
                conn.close()
    except sqlite3.Error as exc:
        mapped = dbmod.translate(exc, path)
        if mapped is not None and mapped.kind in ("locked", "permission", "io"):
            raise mapped from None
        return (f"SQLite reports: {exc}",)


# --------------------------------------------------------------------------- restore
def _safety_backup(path: Path, folder: Path, keep: int | None) -> Path:
    """A backup of the current database before it is replaced; a raw copy if it is damaged."""
    try:
        conn = _ro_connect(path)
        try:
            with dbmod.sqlite_errors(path):
                # Not pruned now: the safety copy must survive this restore.
                return backup_connection(conn, folder, keep=keep, prune_old=False, reason="before restore").path
        finally:
            conn.close()
    except (StorageError, sqlite3.Error) as exc:
        if isinstance(exc, StorageError) and exc.kind not in ("corrupt", "not_a_database"):
            raise
    # The current file is damaged: keep its bytes as they are, so nothing is lost.
    _secure_dir(folder)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    tmp = _temp_file(folder, f"{BACKUP_PREFIX}{stamp}.damaged")
    try:
        with dbmod.raw_file(path) as src, open(tmp, "wb") as out:
            while chunk := os.read(src, 1 << 20):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        return _publish(tmp, folder, stamp, suffix=".damaged")
    except BaseException:
        _discard(tmp)
        raise


def _quiesce(path: Path) -> None:
    """Fold the WAL into the main file and leave DELETE mode, so no old -wal can touch the new file.

    Fails with a "locked" error while another program has the database open.
    """
    conn = dbmod.connect(path, uri=dbmod.sqlite_uri(path, "rw"), timeout=5)
    try:
        with dbmod.sqlite_errors(path):
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0].lower()
            if mode == "wal":
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0].lower()
                if mode == "wal":
                    raise dbmod.locked_error(path, 5000)
    finally:
        conn.close()


def _put_in_place(source: Path, path: Path, audit: dict | None = None) -> None:
    """Copy the backup ``source`` beside ``path``, check it, then rename it over ``path``.

    The database path never holds a half-copied file: the copy is made and checked in a
    temporary file first (a killed restore leaves only that, removed by the next
    backup, restore or opening). ``audit``, when given, is written into the copy's audit
    before the swap, so the restored database always says it was restored. Stale
    WAL/SHM/journal files of the old database are removed so they are never applied to
    the new one.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.restore")
    dbmod.fresh_private_file(tmp)
    try:
        src = _ro_connect(source)
        try:
            with dbmod.sqlite_errors(tmp):
                _copy_into(src, tmp)
        finally:
            src.close()
        if _integrity(tmp) != ("ok",):
            raise StorageError(StorageErrorKind.CORRUPT, "The restored copy failed its integrity check; nothing was changed.")
        if audit is not None:
            _write_restore_audit(tmp, audit)
        for side in ("-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                path.with_name(path.name + side).unlink()
        os.replace(tmp, path)
        _fsync_path(path.parent, directory=True)
    finally:
        _discard(tmp)


def _write_restore_audit(db_file: Path, detail: dict) -> None:
    conn = dbmod.connect(db_file, timeout=5)
    try:
        with dbmod.sqlite_errors(db_file):
            if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit'").fetchone():
                return  # a backup from before the audit existed: the migration creates it on opening
            at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
            user = detail.pop("user", None) or login_name()
            conn.execute("INSERT INTO audit (at, user, action, case_id, detail_json) VALUES (?, ?, ?, NULL, ?)",
                         (at, user, RESTORE_ACTION, json.dumps(detail, sort_keys=True, separators=(",", ":"))))
            conn.commit()
        _fsync_path(db_file)
    finally:
        conn.close()


def _audit_rows_after(old: Path, restored: Path) -> int | None:
    """How many audit entries of the database ``old`` are not in ``restored`` (made after that backup)."""
    try:
        conn = _ro_connect(old)
        try:
            conn.execute("ATTACH DATABASE ? AS restored", (dbmod.sqlite_uri(restored, "ro"),))
            try:
                return int(conn.execute(
                    "SELECT count(*) FROM main.audit AS o WHERE NOT EXISTS (SELECT 1 FROM restored.audit AS r "
                    "WHERE r.id = o.id AND r.at = o.at AND r.action = o.action AND r.user = o.user)").fetchone()[0])
            finally:
                conn.execute("DETACH DATABASE restored")
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def _hold_writers_off(path: Path) -> sqlite3.Connection:
    """A connection holding SQLite's RESERVED lock (rollback mode): others may read, nobody may write."""
    conn = dbmod.connect(path, uri=dbmod.sqlite_uri(path, "rw"), timeout=5)
    try:
        with dbmod.sqlite_errors(path):
            conn.execute("BEGIN IMMEDIATE")
    except BaseException:
        conn.close()
        raise
    return conn


def restore(backup_file: str | os.PathLike, data_dir: str | os.PathLike | None = None,
            keep: int | None = None, user: str | None = None, wait_s: float = LOCK_WAIT_S) -> RestoreResult:
    """Replace the database in ``data_dir`` by ``backup_file``; return where the safety backup went.

    Refused ("locked", nothing changed) while anything else has the database open: the
    window, a command (waited for up to ``wait_s`` seconds), or another program using it
    in WAL mode. From the check to the swap the restore holds the app's exclusive lock
    (:mod:`storage.inuse`: nothing of ours can open the database) and SQLite's write lock
    (no other program can write), so every write reported before the restore is in the
    safety backup and none can come between. The restored database gets an audit entry
    ``database_restored`` naming the backup and how many later audit entries it removed.
    """
    source = Path(backup_file)
    validate_backup(source)
    path = database_path(data_dir)
    folder = path.parent / BACKUP_DIRNAME
    exists = path.exists()
    if exists:
        try:
            same = os.path.samefile(source, path)
        except OSError:
            same = False
        if same:
            raise _refuse(source, StorageErrorKind.INVALID, "it is the database itself")
    else:
        dbmod._secure_folder(path.parent)
    with inuse.exclusive(path, wait_s):
        sweep_leftovers(path.parent)
        if folder.is_dir():
            sweep_leftovers(folder)
        detail = {"restored_from": source.name, "user": user}
        if not exists:
            _put_in_place(source, path, audit=detail)
            log.info("database restored from a backup")
            return RestoreResult(path, source, source)
        hold = None
        try:
            try:
                _quiesce(path)
                hold = _hold_writers_off(path)
            except StorageError as exc:
                # A damaged file cannot be checkpointed or locked (its WAL is removed below);
                # but a database open elsewhere ("locked") must stop the restore, or that
                # session's unsaved WAL would be deleted.
                if exc.kind not in ("corrupt", "not_a_database"):
                    raise
            safety = _safety_backup(path, folder, keep)
            removed = _audit_rows_after(safety, source)
            detail.update(safety_backup=safety.name, later_audit_rows_removed=removed)
            _put_in_place(source, path, audit=detail)
        finally:
            if hold is not None:
                hold.close()  # its locks are on the old file, now replaced
    prune(folder, keep if keep is not None else default_keep())  # the safety copy is the newest: kept
    log.info("database restored from a backup")
    return RestoreResult(path, source, safety, removed)


# --------------------------------------------------------------------------- recovery from a damaged database
@dataclass(frozen=True)
class GoodBackup:
    """A backup that passed :func:`validate_backup` (whole, sound, a schema this version knows)."""
    path: Path
    taken: dt.datetime
    size: int
    case_count: int | None


def _taken(path: Path) -> dt.datetime:
    m = _NAME.match(path.name)
    if m:
        with contextlib.suppress(ValueError):
            return dt.datetime.strptime(m.group(1), "%Y%m%d-%H%M%S")
    return dt.datetime.fromtimestamp(path.stat().st_mtime)


def _case_count(path: Path) -> int | None:
    try:
        conn = _ro_connect(path)
        try:
            return int(conn.execute("SELECT count(*) FROM cases").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def newest_good_backup(folder: str | os.PathLike) -> GoodBackup | None:
    """The newest backup in ``folder`` that passes :func:`validate_backup`, or None.

    Backups are checked newest first and only until one passes (each check reads the
    whole copy, read-only).
    """
    for path in reversed(list_backups(Path(folder))):
        try:
            validate_backup(path)
            size = path.stat().st_size
        except (StorageError, OSError):
            log.info("a backup failed validation and was skipped")
            continue
        return GoodBackup(path, _taken(path), size, _case_count(path))
    return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with dbmod.raw_file(path) as fd:
        offset = 0
        while chunk := os.pread(fd, 1 << 20, offset):
            digest.update(chunk)
            offset += len(chunk)
    return digest.hexdigest()


def _copy_verified(source: Path, dest: Path) -> None:
    """Copy ``source`` byte for byte into the new file ``dest`` (0600), fsync, and compare the two."""
    fd = os.open(dest, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with dbmod.raw_file(source) as src, os.fdopen(fd, "wb") as out:
            fd = None
            offset = 0
            while chunk := os.pread(src, 1 << 20, offset):
                out.write(chunk)
                offset += len(chunk)
            out.flush()
            os.fsync(out.fileno())
    finally:
        if fd is not None:
            os.close(fd)
    os.chmod(dest, 0o600)
    if _sha256(source) != _sha256(dest):
        raise OSError(5, "the copy differs from the original")


def keep_damaged_copy(db_file: str | os.PathLike, folder: str | os.PathLike | None = None,
                      now: dt.datetime | None = None) -> Path:
    """Copy a damaged database (and its -wal/-journal/-shm files) aside, unchanged; return the copy.

    The copy is ``<folder>/radiculopathy.sqlite3.damaged-YYYYMMDD-HHMMSS`` (side files get
    their usual suffix after it, so SQLite tools open the pair together), owner-only,
    checked byte for byte against the original. The original is only read. Copies made
    here never match the backup names, so pruning never deletes them.
    """
    path = Path(db_file)
    folder = Path(folder) if folder is not None else path.parent / BACKUP_DIRNAME
    if not path.is_file():
        raise StorageError(StorageErrorKind.NOT_A_DATABASE, (
            f"{path} is not a regular file, so it cannot be kept aside and replaced. Nothing was changed. "
            "Move it away by hand (keep it for support), then start the app again."), exit_code=3)
    _secure_dir(folder)
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    n = 0
    while True:
        base = folder / f"{path.name}{DAMAGED_MARK}{stamp}{'' if n == 0 else f'-{n}'}"
        if not any(base.with_name(base.name + side).exists() for side in ("", "-wal", "-journal", "-shm")):
            break
        n += 1
    copied: list[Path] = []
    try:
        for side in ("", "-wal", "-journal", "-shm"):
            source = path.with_name(path.name + side)
            if side and not source.exists():
                continue
            dest = base.with_name(base.name + side)
            copied.append(dest)
            _copy_verified(source, dest)
    except OSError as exc:
        for done in copied:
            with contextlib.suppress(FileNotFoundError):
                done.unlink()
        kind = "disk_full" if getattr(exc, "errno", None) == 28 else "io"
        raise StorageError(kind, (
            f"The damaged database could not be copied aside ({exc.strerror or exc}) into {folder}. Nothing "
            "was changed. Free some disk space (or ask IT to check the disk), then try again.")) from None
    _fsync_path(folder, directory=True)
    log.info("damaged database kept aside (%d file(s))", len(copied))
    return base


def restore_damaged(backup_file: str | os.PathLike, data_dir: str | os.PathLike | None = None,
                    kept: str | os.PathLike | None = None) -> RestoreResult:
    """Replace a damaged database by ``backup_file`` without ever opening the damaged file in SQLite.

    The damaged file is first copied aside by :func:`keep_damaged_copy` (or ``kept``, a copy
    already made while the app still had the file open), then the checked backup is copied
    into a temporary file beside the database and moved into place atomically; the old
    journal files (kept in the copy) are removed so SQLite cannot apply them to the
    restored file. ``safety_backup`` in the result is the damaged copy.

    Close every connection to the database first: it is not checked here (SQLite cannot
    lock a damaged file reliably), and the window guarantees it (one instance per folder).
    """
    source = Path(backup_file)
    validate_backup(source)
    path = database_path(data_dir)
    folder = path.parent / BACKUP_DIRNAME
    if not path.parent.exists():
        dbmod._secure_folder(path.parent)
    with inuse.exclusive(path, LOCK_WAIT_S):
        sweep_leftovers(path.parent)
        if kept is not None:
            kept = Path(kept)
        elif path.exists() or path.is_symlink():
            kept = keep_damaged_copy(path, folder)
        detail = {"restored_from": source.name, "replaced_damaged_database": True,
                  "damaged_copy": kept.name if kept is not None else None, "later_audit_rows_removed": None}
        _put_in_place(source, path, audit=detail)
    log.info("damaged database replaced by a checked backup")
    return RestoreResult(path, source, kept if kept is not None else source)
