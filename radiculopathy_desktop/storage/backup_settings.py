"""How many backups to keep, and the notes kept beside the backups.

* :func:`get_backup_keep` / :func:`set_backup_keep`: the clinic's "number of backups to
  keep", stored in the store's ``settings`` table under ``backup_keep`` (changing it is
  audited as ``settings_changed`` with the old and new values). Read with
  :func:`backup.configured_keep`, as the daily backup does: unset or invalid, it is
  :func:`backup.default_keep` (the ``RADICULOPATHY_DESKTOP_BACKUP_KEEP`` environment
  variable, else 14).
  :func:`read_backup_keep` reads the same value read-only, without opening a
  :class:`CaseStore` (for the ``backup`` and ``restore`` commands, which must never
  write to the database they copy).
* Notes in the backups folder (not in the database, because a restore replaces the
  database and the notes must survive it): ``backup-notes.json`` records why a backup
  was made ("made in the window", "safety copy before a restore"...), and
  ``last-restore.json`` records the safety backup of the last restore so it can be
  undone. Both are written atomically and owner-only (0600); a missing or damaged
  notes file only means "no reason recorded".
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.storage import backup as bk
from radiculopathy_desktop.storage import db as dbmod
from radiculopathy_desktop.storage.changes import Changes
from radiculopathy_desktop.storage.db import StorageError
from radiculopathy_desktop.storage.paths import database_path

log = logging.getLogger(__name__)

KEEP_KEY = bk.KEEP_SETTING  # "backup_keep": the same key the daily backup reads (backup.configured_keep)
MIN_KEEP, MAX_KEEP = bk.MIN_KEEP, bk.MAX_KEEP
NOTES_FILE = "backup-notes.json"
LAST_RESTORE_FILE = "last-restore.json"
MAX_NOTES = 5000  # a notes file never grows without bound


# --------------------------------------------------------------------------- keep
def check_keep(value: Any) -> int:
    """``value`` as a number of backups to keep, or a :class:`UserError` saying what is allowed."""
    if isinstance(value, str):
        text = value.strip()
        if not (text.isascii() and text.isdigit()):
            raise UserError(f"backup_keep: {value!r} is not a whole number; give a number of backups from "
                            f"{MIN_KEEP} to {MAX_KEEP}.")
        if len(text) > 6:
            raise UserError(f"backup_keep: {text[:12]}… is out of range; keep from {MIN_KEEP} to {MAX_KEEP} backups.")
        value = int(text)
    if isinstance(value, bool) or not isinstance(value, int):
        raise UserError(f"backup_keep: {value!r} is not a whole number; give a number of backups from "
                        f"{MIN_KEEP} to {MAX_KEEP}.")
    if not MIN_KEEP <= value <= MAX_KEEP:
        raise UserError(f"backup_keep: {value} is out of range; keep from {MIN_KEEP} to {MAX_KEEP} backups.")
    return value


def _stored_keep(store) -> int | None:
    try:
        value = store.setting(KEEP_KEY)
    except (ValueError, StorageError):  # damaged, or unreadable now: the default, as the daily backup does
        return None
    return bk.valid_keep(value)


def get_backup_keep(store) -> int:
    """How many backups to keep in the backups folder (the setting, else the default)."""
    stored = _stored_keep(store)
    return stored if stored is not None else bk.default_keep()


def is_backup_keep_set(store) -> bool:
    return _stored_keep(store) is not None


def set_backup_keep(store, n: Any, user: str) -> Changes:
    """Store the number of backups to keep (validated; audited as ``settings_changed``)."""
    n = check_keep(n)
    with store.transaction():
        before = _stored_keep(store)
        changes = store.put_setting(KEEP_KEY, n, user=user, detail={KEEP_KEY: [before, n]})
    log.info("number of backups to keep changed")
    return changes


def read_backup_keep(data_dir: str | os.PathLike | None = None) -> int:
    """The stored number of backups to keep, read-only (the default when unset or unreadable).

    Never writes and never raises: a database that cannot be read is reported by the
    step that needs it (the backup or the restore itself).
    """
    path = database_path(data_dir)
    try:
        if not path.is_file():
            return bk.default_keep()
        conn = dbmod.connect(path, uri=dbmod.sqlite_uri(path, "ro"), timeout=1)
    except (OSError, sqlite3.Error):
        return bk.default_keep()
    try:
        return bk.configured_keep(conn)
    finally:
        conn.close()


# --------------------------------------------------------------------------- notes beside the backups
def _read_json(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        log.info("a backup notes file could not be read; ignoring it")
        return None


def _write_json(path: Path, data: Any) -> None:
    """Write ``data`` to ``path`` atomically (temporary file, fsync, rename), owner-only."""
    bk._secure_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def backup_reasons(folder: str | os.PathLike) -> dict[str, str]:
    """{backup file name: why it was made} for the backups whose reason was recorded."""
    data = _read_json(Path(folder) / NOTES_FILE)
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}


def record_backup_reason(backup_file: str | os.PathLike, reason: str) -> None:
    """Note why ``backup_file`` was made (shown in the window's list of backups).

    A note that cannot be written is logged and skipped: the backup itself matters,
    not its label.
    """
    backup_file = Path(backup_file)
    folder = backup_file.parent
    try:
        notes = backup_reasons(folder)
        notes[backup_file.name] = reason
        present = {p.name for p in bk.list_backups(folder)} | {backup_file.name}
        notes = {k: v for k, v in notes.items() if k in present}
        if len(notes) > MAX_NOTES:
            notes = dict(sorted(notes.items())[-MAX_NOTES:])
        _write_json(folder / NOTES_FILE, notes)
    except (OSError, UserError):
        log.info("the reason for a backup could not be noted")


@dataclass(frozen=True)
class LastRestore:
    safety_backup: Path  # the copy of the database as it was just before the restore
    restored_from: str  # the backup file that was restored (its name)
    at: str  # local date and time of the restore, ISO


def record_restore(folder: str | os.PathLike, safety_backup: str | os.PathLike, restored_from: str | os.PathLike,
                   at: dt.datetime | None = None) -> None:
    """Remember the safety backup of a restore, so "Undo last restore" can put it back."""
    folder = Path(folder)
    when = (at or dt.datetime.now()).isoformat(timespec="seconds")
    _write_json(folder / LAST_RESTORE_FILE, {"safety_backup": Path(safety_backup).name,
                                             "restored_from": Path(restored_from).name, "at": when})


def clear_last_restore(folder: str | os.PathLike) -> None:
    """Forget the last restore (it was undone)."""
    with contextlib.suppress(FileNotFoundError):
        (Path(folder) / LAST_RESTORE_FILE).unlink()


def last_restore(folder: str | os.PathLike) -> LastRestore | None:
    """The last restore that can still be undone: None when there is none or its safety backup is gone."""
    folder = Path(folder)
    data = _read_json(folder / LAST_RESTORE_FILE)
    if not isinstance(data, dict) or not isinstance(data.get("safety_backup"), str):
        return None
    name = data["safety_backup"]
    if Path(name).name != name or not name:  # only a file in this folder, never a path elsewhere
        return None
    safety = folder / name
    if not safety.is_file():
        return None
    return LastRestore(safety, str(data.get("restored_from") or ""), str(data.get("at") or ""))


def backup_time(path: str | os.PathLike) -> dt.datetime | None:
    """The local date and time a backup was made, from its file name (None if not one of ours)."""
    m = bk._NAME.match(Path(path).name)
    if not m:
        return None
    try:
        return dt.datetime.strptime(m.group(1), "%Y%m%d-%H%M%S")
    except ValueError:
        return None
