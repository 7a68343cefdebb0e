"""Opening the database file safely: checks first, then SQLite, then migrations.

Nothing here writes to a file it has not recognised as ours. The order is:

1. the folder (created 0700 when missing) and the file: a regular file, with the
   SQLite header, not truncated, writable by its owner;
2. the connection (``mode=rw`` for an existing file, so SQLite never creates one),
   ``busy_timeout`` and ``foreign_keys``;
3. a read of the schema: a newer schema (unknown migration or higher
   ``user_version``), a foreign SQLite database, a locked or damaged file all stop
   here, before any write;
4. the journal mode (WAL on local disks, DELETE on network file systems), then
   any pending migrations, each in its own transaction (after a checked backup of
   an existing database). Steps 1-4 together are :func:`~radiculopathy_desktop.storage.opening.open_database`
   (a module of its own, because the backup before a migration needs ``storage.backup``,
   which builds on this module).

Opening an up-to-date database uses only :mod:`sqlite3`: the schema check is plain
SQL, and sqlite-utils (with click, dateutil and pluggy behind it) is imported only
when a migration has to run or a caller asks :class:`Database` for a sqlite-utils
feature. That keeps the window's start-up short.

A new database is built in a temporary file beside the final one and linked into
place only when complete, so the database path never holds a half-made file and
an existing file (database or not) is never overwritten.

Every SQLite failure the user can act on becomes a :class:`StorageError` (a
:class:`~radiculopathy_desktop.errors.UserError`, exit code 3) saying what is wrong,
that nothing was changed, and what to do.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import stat
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from radiculopathy_desktop.domain.vocab import StorageErrorKind
from radiculopathy_desktop.storage import schema, upgrade_progress
from radiculopathy_desktop.storage.errors import StorageError
from radiculopathy_desktop.storage.paths import make_private_dirs

if TYPE_CHECKING:  # pragma: no cover
    import sqlite_utils

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
DEFAULT_BUSY_TIMEOUT_MS = 5000

# Primary SQLite result codes (https://sqlite.org/rescode.html).
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 10, 11, 13, 14, 26


# --------------------------------------------------------------------------- messages
def _not_changed(path: Path) -> str:
    return f"The file was not changed: {path}"


def locked_error(path: Path, timeout_ms: int) -> StorageError:
    if upgrade_progress.upgrade_running_elsewhere(path):  # the lock holder is the one-time upgrade: say so
        return StorageError(StorageErrorKind.LOCKED, upgrade_progress.BUSY_UPGRADING.format(path=path))
    return StorageError(StorageErrorKind.LOCKED, (
        f"The database is busy: another program (another Radiculopathy Desktop window or command, "
        f"or a backup tool) held it locked for more than {timeout_ms / 1000:g} seconds. Nothing was changed. "
        f"Wait for the other program to finish or close it, then try again. Database: {path}"))


def read_only_error(path: Path, what: str = "database file") -> StorageError:
    return StorageError(StorageErrorKind.READ_ONLY, (
        f"The {what} is read-only, so Radiculopathy Desktop cannot save to it. {_not_changed(path)}. "
        "Make it writable by your user (for example `chmod u+w`), or copy the database to a folder you can "
        "write to and pass --data-dir."))


def corrupt_error(path: Path, detail: str) -> StorageError:
    return StorageError(StorageErrorKind.CORRUPT, (
        f"The database file is damaged ({detail}). {_not_changed(path)}. Restore it from a backup; or move "
        "it aside (keep it for support) and the app will start a new, empty database."))


def not_a_database_error(path: Path, detail: str) -> StorageError:
    return StorageError(StorageErrorKind.NOT_A_DATABASE, (
        f"The file at the database path is not a Radiculopathy Desktop database ({detail}). "
        f"{_not_changed(path)}. Move or rename that file, or choose another folder with --data-dir "
        "(or RADICULOPATHY_DESKTOP_DATA_DIR)."))


def newer_schema_error(path: Path, detail: str) -> StorageError:
    return StorageError(StorageErrorKind.NEWER_SCHEMA, (
        f"The database was written by a newer version of Radiculopathy Desktop ({detail}). "
        f"{_not_changed(path)}. Install that newer version to open it, or choose another folder with --data-dir."))


def translate(exc: sqlite3.Error, path: Path, timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> StorageError | None:
    """The plain-language error for a SQLite failure, or None when it is a bug in our SQL."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(exc)
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED) or "database is locked" in text:
        return locked_error(path, timeout_ms)
    if primary == _SQLITE_READONLY or "readonly database" in text:
        return read_only_error(path)
    if primary == _SQLITE_NOTADB or "file is not a database" in text:
        return not_a_database_error(path, "it is not an SQLite file")
    if primary == _SQLITE_CORRUPT or "malformed" in text:
        return corrupt_error(path, "SQLite reports: " + text)
    if primary == _SQLITE_FULL:
        return StorageError(StorageErrorKind.DISK_FULL, (
            f"The disk is full, so the change could not be saved. Nothing was changed. Free some space on the "
            f"disk holding {path.parent} and try again."))
    if primary in (_SQLITE_CANTOPEN, _SQLITE_PERM):
        return StorageError(StorageErrorKind.PERMISSION, (
            f"The database could not be opened ({text}). Check that the folder {path.parent} exists and that "
            "your user can read and write it."))
    if primary == _SQLITE_IOERR:
        return StorageError(StorageErrorKind.IO, (
            f"The disk reported an error while reading or writing the database ({text}). Check the disk or "
            f"network drive holding {path.parent}; then try again."))
    return None


@contextlib.contextmanager
def sqlite_errors(path: Path, timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Iterator[None]:
    """Turn SQLite failures the user can act on into :class:`StorageError`."""
    try:
        yield
    except sqlite3.Error as exc:
        mapped = translate(exc, path, timeout_ms)
        if mapped is None:
            raise
        raise mapped from None


# --------------------------------------------------------------------------- files SQLite has open
# POSIX advisory locks belong to the process and the file, not to a descriptor:
# closing *any* descriptor of the database (or its -wal, -shm, -journal) drops every
# lock this process holds on it, and another process then believes it is the last
# user, checkpoints and deletes the WAL under our open connection (SQLite's "How to
# corrupt an SQLite database", section 2.2). So every connection this process opens is
# registered here, by the database's path, and nothing outside SQLite reads one of
# those files while a connection is registered, except through :func:`raw_file`,
# which keeps its descriptor open until the last connection has closed.
_SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
_live_lock = threading.Lock()
_live: dict[str, int] = {}
_parked: dict[str, list[tuple[str, int]]] = {}  # descriptors kept until the last connection closes


def _key(path: str | os.PathLike) -> str:
    """The registry key of a database path (a side file maps to its database)."""
    text = os.path.realpath(os.fspath(path))
    for side in _SIDE_SUFFIXES:
        if text.endswith(side):
            return text[: -len(side)]
    return text


class TrackedConnection(sqlite3.Connection):
    """A connection registered in this module while it is open (see :func:`connect`)."""

    _rd_key: str | None = None

    def close(self) -> None:
        try:
            super().close()
        finally:
            key, self._rd_key = self._rd_key, None
            if key is not None:
                _release(key)


def _release(key: str) -> None:
    with _live_lock:
        left = _live.get(key, 0) - 1
        if left > 0:
            _live[key] = left
            return
        _live.pop(key, None)
        parked = _parked.pop(key, [])
    for _name, fd in parked:  # no connection left: their close can drop no lock of ours
        with contextlib.suppress(OSError):
            os.close(fd)


def connect(path: str | os.PathLike, *, uri: str | None = None, timeout: float = 5.0,
            check_same_thread: bool = True) -> sqlite3.Connection:
    """``sqlite3.connect`` for a database file, registered while open (closes must go through ``close``).

    Registered *before* SQLite opens the file, so no plain descriptor closed meanwhile
    can drop a lock the new connection has just taken.
    """
    key = _key(path)
    with _live_lock:
        _live[key] = _live.get(key, 0) + 1
    try:
        if uri is not None:
            conn = sqlite3.connect(uri, uri=True, timeout=timeout, factory=TrackedConnection,
                                   check_same_thread=check_same_thread)
        else:
            conn = sqlite3.connect(os.fspath(path), timeout=timeout, factory=TrackedConnection,
                                   check_same_thread=check_same_thread)
    except BaseException:
        _release(key)
        raise
    conn._rd_key = key
    return conn


@contextlib.contextmanager
def raw_file(path: str | os.PathLike) -> Iterator[int]:
    """A read-only descriptor of a database (or side) file, for reading bytes outside SQLite.

    When this process has the database open in SQLite, the descriptor is not closed
    on exit but kept (and reused by the next call for the same file) until the last
    connection closes, so SQLite's locks survive.
    """
    key, real = _key(path), os.path.realpath(os.fspath(path))
    fd = -1
    with _live_lock:
        for i, (name, kept) in enumerate(_parked.get(key, [])):
            if name == real:
                with contextlib.suppress(OSError):
                    if os.path.samestat(os.fstat(kept), os.stat(real)):
                        fd = kept
                        del _parked[key][i]
                break
    if fd < 0:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        yield fd
    finally:
        with _live_lock:
            if _live.get(key, 0) > 0:
                _parked.setdefault(key, []).append((real, fd))
                fd = -1
        if fd >= 0:
            os.close(fd)


def read_header(path: str | os.PathLike) -> bytes:
    """The first 100 bytes of a file (the SQLite header), without ever dropping SQLite's locks."""
    with raw_file(path) as fd:
        out = b""
        while len(out) < 100:
            chunk = os.pread(fd, 100 - len(out), len(out))
            if not chunk:
                break
            out += chunk
        return out


# --------------------------------------------------------------------------- file checks
def _owner_cannot_write(st: os.stat_result, path: Path) -> bool:
    # Root passes os.access() for everything; a cleared owner write bit still says
    # "the user made this read-only", and we honour it.
    return not (st.st_mode & stat.S_IWUSR) or not os.access(path, os.W_OK)


def check_existing_file(path: Path) -> None:
    """Raise :class:`StorageError` unless ``path`` looks like a whole, writable SQLite file.

    Reads at most the 100-byte header (through :func:`read_header`, which never drops
    a lock of a connection this process has open); never writes.
    """
    try:
        st = path.stat()
    except OSError as exc:
        raise StorageError(StorageErrorKind.PERMISSION, f"The database file could not be read ({exc.strerror}): {path}") from None
    if not stat.S_ISREG(st.st_mode):
        raise not_a_database_error(path, "it is a folder or a special file, not a regular file")
    try:
        header = read_header(path)
    except PermissionError:
        raise StorageError(StorageErrorKind.PERMISSION, (
            f"Your user is not allowed to read the database file. {_not_changed(path)}. "
            "Check its owner and permissions.")) from None
    if len(header) == 0:
        raise not_a_database_error(path, "it is an empty file")
    if len(header) < 100 or header[:16] != SQLITE_MAGIC:
        raise not_a_database_error(path, "it is not an SQLite file")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise corrupt_error(path, "the file header is invalid")
    page_count = int.from_bytes(header[28:32], "big")
    header_count_valid = header[24:28] == header[92:96]
    wal = path.with_name(path.name + "-wal")
    wal_has_frames = wal.exists() and wal.stat().st_size > 32
    if header_count_valid and not wal_has_frames and st.st_size < page_count * page_size:
        raise corrupt_error(path, f"the file is truncated: {st.st_size} bytes where the header says "
                                  f"{page_count * page_size}")
    if _owner_cannot_write(st, path):
        raise read_only_error(path)
    folder = path.parent
    try:
        fst = folder.stat()
    except OSError:
        fst = None
    if fst is not None and _owner_cannot_write(fst, folder):
        raise read_only_error(path, "database folder (SQLite needs to write its journal beside the file)")


# --------------------------------------------------------------------------- opening
def sqlite_uri(path: Path, mode: str) -> str:
    """A ``file:`` URI for ``path`` (``mode`` ro or rw), escaping what SQLite's URI parser reads."""
    text = str(path).replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    return f"file:{text}?mode={mode}"


def fresh_private_file(path: Path) -> None:
    """Create ``path`` empty and owner-only, removing a leftover of an earlier crash first."""
    for leftover in (path, path.with_name(path.name + "-journal")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)  # a new file: SQLite has no connection on it yet
    os.chmod(path, 0o600)


_TRANSACTION_CONTROL = frozenset({"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"})


def _first_keyword(sql: str) -> str:
    """The first keyword of a statement, upper-cased, after blanks, ``;`` and comments."""
    i, n = 0, len(sql)
    while i < n:
        if sql[i].isspace() or sql[i] in ";\ufeff":
            i += 1
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            i = n if end < 0 else end + 1
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            i = n if end < 0 else end + 2
        else:
            break
    j = i
    while j < n and (sql[j].isalpha() or sql[j] == "_"):
        j += 1
    return sql[i:j].upper()


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection, begin: str) -> Iterator[None]:
    """``begin``, then COMMIT when the block ends, or ROLLBACK when it (or the commit) fails."""
    conn.execute(begin)
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


class Database:
    """The store's database: one :mod:`sqlite3` connection (``conn``).

    The part of :class:`sqlite_utils.Database` the app uses, without importing
    sqlite-utils: ``execute`` (a write outside a transaction is committed, as in
    sqlite-utils), ``atomic`` (a transaction, or a savepoint inside one) and
    ``close``. Anything else (``db["cases"]``, ``db.table(...)``, ``db.query(...)``)
    is answered by a :class:`sqlite_utils.Database` on the same connection, built on
    first use.
    """

    def __init__(self, conn: sqlite3.Connection, in_use=None):
        self.conn = conn
        self.in_use = in_use  # the shared lock of storage.inuse, held until close
        self.path: Path | None = None
        self.file_id: tuple[int, int] | None = None  # (device, inode) of the file when it was opened
        self._full: sqlite_utils.Database | None = None
        conn.execute("PRAGMA recursive_triggers = ON")  # as sqlite_utils.Database sets it

    def execute(self, sql: str, parameters: Any = None) -> sqlite3.Cursor:
        conn = self.conn
        was_in_transaction = conn.in_transaction
        try:
            cursor = conn.execute(sql) if parameters is None else conn.execute(sql, parameters)
        except Exception:
            if not was_in_transaction and conn.in_transaction:
                conn.execute("ROLLBACK")  # the failed statement's implicit transaction
            raise
        if not was_in_transaction and conn.in_transaction and cursor.description is None \
                and _first_keyword(sql) not in _TRANSACTION_CONTROL:
            conn.execute("COMMIT")  # the statement opened an implicit transaction: commit it
        return cursor

    @contextlib.contextmanager
    def atomic(self) -> Iterator["Database"]:
        """A transaction; nested use becomes a savepoint."""
        conn = self.conn
        if conn.in_transaction:
            name = f"rd_{os.urandom(8).hex()}"
            conn.execute(f"SAVEPOINT {name}")
            try:
                yield self
            except BaseException:
                if conn.in_transaction:
                    conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    conn.execute(f"RELEASE SAVEPOINT {name}")
                raise
            else:
                conn.execute(f"RELEASE SAVEPOINT {name}")
            return
        with _transaction(conn, "BEGIN"):
            yield self

    def close(self) -> None:
        try:
            self.conn.close()
        finally:
            held, self.in_use = self.in_use, None
            if held is not None:
                held.release()

    def full(self) -> "sqlite_utils.Database":
        """A :class:`sqlite_utils.Database` on this connection (imports sqlite-utils)."""
        if self._full is None:
            import sqlite_utils

            self._full = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._full

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("conn", "_full", "in_use", "path", "file_id"):
            raise AttributeError(name)
        return getattr(self.full(), name)

    def __getitem__(self, table: str) -> Any:
        return self.full()[table]


def _connect(path: Path, timeout_ms: int) -> Database:
    # The window's writes run in a worker thread, one at a time (ui/operations.py), on this
    # same connection: SQLite serialises its use; Python's same-thread check would refuse it.
    conn = connect(path, uri=sqlite_uri(path, "rw"), timeout=timeout_ms / 1000, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        # The worklist reads the compact cases table and its index on every refresh:
        # keep them in SQLite's cache (up to 64 MB) and read the file through mmap.
        conn.execute("PRAGMA cache_size = -65536")
        conn.execute("PRAGMA mmap_size = 268435456")
        return Database(conn)
    except BaseException:
        conn.close()
        raise


def _check_schema(db, path: Path) -> None:
    """Refuse (before any write) a database from a newer version or another program.

    ``db`` is a :class:`Database`, a :class:`sqlite_utils.Database` or a connection.
    """
    conn = getattr(db, "conn", db)
    user_version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if user_version > schema.SCHEMA_VERSION:
        raise newer_schema_error(path, f"schema version {user_version}; this version understands up to "
                                       f"{schema.SCHEMA_VERSION}")
    if schema.MIGRATIONS_TABLE in tables:
        applied = schema.applied_names(conn, schema.migrations.name)
        unknown = [name for name in applied if name not in schema.migration_names()]
        if unknown:
            raise newer_schema_error(path, f"it has schema change {unknown[0]!r}, which this version does not know")
    ours = schema.MIGRATIONS_TABLE in tables or user_version > 0
    if tables and not ours:
        raise not_a_database_error(path, "it is an SQLite database made by another program")
    if ours and user_version >= schema.SCHEMA_VERSION:  # fully migrated: every table must be there
        missing = sorted(schema.REQUIRED_TABLES - tables)
        if missing and all(("table", name) in schema.ALERT_INDEX_OBJECTS for name in missing):
            # derived data (rt22 F7): made again from the stored alerts, never a reason to restore
            raise StorageError(StorageErrorKind.CORRUPT, (
                f"The database's Medicine alerts index (table {', '.join(missing)}) is missing. It is derived from "
                f"the stored medicine alerts, so nothing recorded is lost. {_not_changed(path)}. Run "
                "`radiculopathy-desktop check --full --repair` to make it again (do not restore a backup for this: "
                "it would lose what was saved since)."))
        if missing:
            raise corrupt_error(path, f"table(s) {', '.join(missing)} missing")


def _secure_folder(folder: Path) -> None:
    if folder.exists():
        if not folder.is_dir():
            raise StorageError(StorageErrorKind.PERMISSION, f"The data folder path exists but is not a folder: {folder}")
        return
    try:
        make_private_dirs(folder)  # every folder made here is owner-only, parents included
    except OSError as exc:
        raise StorageError(StorageErrorKind.PERMISSION, (
            f"The data folder could not be created ({exc.strerror}): {folder}. Choose another folder with "
            "--data-dir.")) from None


def _create_new(path: Path, timeout_ms: int) -> None:
    """Build a complete, migrated database beside ``path`` and link it into place."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
    fresh_private_file(tmp)
    try:
        conn = connect(tmp, timeout=timeout_ms / 1000)
        try:
            conn.execute("PRAGMA journal_mode = DELETE")
            schema.migrate(Database(conn))
            conn.commit()
        finally:
            conn.close()
        try:
            os.link(tmp, path)  # fails if anything appeared at path meanwhile: never overwrite
        except FileExistsError:
            pass  # another process created it first; fall through and open theirs
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One transaction for a multi-row write, taking the write lock up front.

    ``BEGIN IMMEDIATE`` waits (busy_timeout) for another writer instead of failing
    half-way when a read transaction tries to upgrade. Nested use becomes a savepoint.
    """
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    with _transaction(conn, "BEGIN IMMEDIATE"):
        check_not_replaced(db)
        yield db


def check_not_replaced(db: Database) -> None:
    """Refuse to write when the file at the database path is no longer the one this connection has open.

    Another program replaced it (a restore by a tool that ignores our lock, a copy over
    it): a write now would go into the old, unlinked file and be lost. Every later
    write is refused the same way, until the database is opened again.
    """
    if getattr(db, "file_id", None) is None or getattr(db, "path", None) is None:
        return
    try:
        st = os.stat(db.path)
        now = (st.st_dev, st.st_ino)
    except OSError:
        now = None
    if now != db.file_id:
        raise StorageError(StorageErrorKind.REPLACED, (
            "The database file was replaced while it was open here (restored from a backup, or copied over by "
            "another program), so this change was not saved: it would have gone into the old file. Close "
            f"Radiculopathy Desktop and open it again to work on the database now in place: {db.path}"))
