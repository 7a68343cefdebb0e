"""The backups folder: which files in it are backups (their names, the list, oldest
first), its creation (owner-only), and the notes kept beside the backups.

* Notes (not in the database, because a restore replaces the database and the notes
  must survive it): ``backup-notes.json`` records why a backup was made ("made in the
  window", "safety copy before a restore"...), and ``last-restore.json`` records the
  safety backup of the last restore so it can be undone. Both are written atomically
  and owner-only (0600); a missing or damaged notes file only means "no reason recorded".

A module below :mod:`~radiculopathy_desktop.storage.backup` (which records the reason of
its automatic backups here) and :mod:`~radiculopathy_desktop.storage.backup_settings`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from radiculopathy_desktop.domain.vocab import StorageErrorKind
from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.storage.errors import StorageError

log = logging.getLogger(__name__)

BACKUP_DIRNAME = "backups"
BACKUP_PREFIX = "radiculopathy-"
BACKUP_SUFFIX = ".sqlite3"
_NAME = re.compile(r"^radiculopathy-(\d{8}-\d{6})(?:-(\d+))?\.sqlite3$")
NOTES_FILE = "backup-notes.json"
LAST_RESTORE_FILE = "last-restore.json"
MAX_NOTES = 5000  # a notes file never grows without bound


def secure_dir(folder: Path) -> None:
    try:
        if not folder.exists():
            folder.mkdir(parents=True, mode=0o700)
            os.chmod(folder, 0o700)  # mkdir's mode is filtered by the umask
        elif not folder.is_dir():
            raise StorageError(StorageErrorKind.PERMISSION, f"The backup folder path exists but is not a folder: {folder}")
    except OSError as exc:
        raise StorageError(StorageErrorKind.PERMISSION, (
            f"The backup folder could not be created ({exc.strerror}): {folder}. Choose a folder you can write "
            "to.")) from None


def list_backups(folder: Path) -> list[Path]:
    """Backup files in ``folder`` made by this module, oldest first."""
    if not folder.is_dir():
        return []
    found = []
    for p in folder.iterdir():
        m = _NAME.match(p.name)
        if m and p.is_file():
            found.append(((m.group(1), int(m.group(2) or 0)), p))
    return [p for _, p in sorted(found)]


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
    secure_dir(path.parent)
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
        present = {p.name for p in list_backups(folder)} | {backup_file.name}
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
    m = _NAME.match(Path(path).name)
    if not m:
        return None
    try:
        return dt.datetime.strptime(m.group(1), "%Y%m%d-%H%M%S")
    except ValueError:
        return None
