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
* Notes in the backups folder (kept by :mod:`~radiculopathy_desktop.storage.backup_folder`,
  their names re-exported here; not in the database, because a restore replaces the
  database and the notes must survive it): ``backup-notes.json`` records why a backup
  was made ("made in the window", "safety copy before a restore"...), and
  ``last-restore.json`` records the safety backup of the last restore so it can be
  undone. Both are written atomically and owner-only (0600); a missing or damaged
  notes file only means "no reason recorded".
"""

from __future__ import annotations

import logging
import os
import sqlite3
from typing import Any

from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.storage import backup as bk
from radiculopathy_desktop.storage import backup_folder as folder
from radiculopathy_desktop.storage import db as dbmod
from radiculopathy_desktop.storage.changes import Changes
from radiculopathy_desktop.storage.db import StorageError
from radiculopathy_desktop.storage.paths import database_path

log = logging.getLogger(__name__)

KEEP_KEY = bk.KEEP_SETTING  # "backup_keep": the same key the daily backup reads (backup.configured_keep)
MIN_KEEP, MAX_KEEP = bk.MIN_KEEP, bk.MAX_KEEP


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


# The notes kept beside the backups live with the backups folder (storage.backup_folder);
# these names stay here for the callers that know them from this module.
NOTES_FILE, LAST_RESTORE_FILE, MAX_NOTES = folder.NOTES_FILE, folder.LAST_RESTORE_FILE, folder.MAX_NOTES
LastRestore = folder.LastRestore
backup_reasons, record_backup_reason = folder.backup_reasons, folder.record_backup_reason
record_restore, clear_last_restore, last_restore = folder.record_restore, folder.clear_last_restore, folder.last_restore
backup_time = folder.backup_time
