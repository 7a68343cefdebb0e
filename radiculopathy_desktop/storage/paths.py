"""Where the database lives.

Resolution order (first wins), after MusicBrainz Picard's "every folder overridable":

1. the ``--data-dir`` option (passed in by the command layer or the window);
2. the ``RADICULOPATHY_DESKTOP_DATA_DIR`` environment variable;
3. the platformdirs user data folder (``~/.local/share/radiculopathy-desktop`` on Linux).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from radiculopathy_desktop.domain.vocab import StorageErrorKind
from radiculopathy_desktop import APP_ID
from radiculopathy_desktop.storage.errors import StorageError

DATA_DIR_ENV = "RADICULOPATHY_DESKTOP_DATA_DIR"
DB_FILENAME = "radiculopathy.sqlite3"

# File systems where SQLite's WAL mode is unsafe (shared memory does not work across
# hosts): the journal falls back to DELETE there.
NETWORK_FSTYPES = frozenset({"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "9p",
                             "fuse.sshfs", "afs", "ncpfs", "davfs", "fuse.davfs2"})


def resolve_data_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """The folder holding the database, by the order above (not created here)."""
    if data_dir is not None and str(data_dir) != "":
        return Path(data_dir).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs  # only when no folder was given

    return Path(platformdirs.user_data_dir(APP_ID, appauthor=False))


def database_path(data_dir: str | os.PathLike | None = None) -> Path:
    return resolve_data_dir(data_dir) / DB_FILENAME


def filesystem_type(path: Path, mounts_file: str = "/proc/mounts") -> str | None:
    """The fstype of the mount holding ``path`` (Linux ``/proc/mounts``), or None if unknown."""
    try:
        target = os.path.realpath(path)
        with open(mounts_file, encoding="utf-8", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return None
    best, best_type = "", None
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        if (target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
                or mount_point == "/") and len(mount_point) >= len(best):
            best, best_type = mount_point, parts[2]
    return best_type


def is_network_filesystem(path: Path, mounts_file: str = "/proc/mounts") -> bool:
    fstype = filesystem_type(path, mounts_file)
    return fstype is not None and (fstype in NETWORK_FSTYPES or fstype.split(".")[0] in NETWORK_FSTYPES)


def kind_of_file(mode: int) -> str:
    """What a ``st_mode`` is, in words ("a pipe (FIFO)", "a device", "a folder"...)."""
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "a file"


def check_data_folder(folder: Path) -> None:
    """Refuse, in words (a ``StorageError``, exit 2), a data folder that is a file, a pipe
    or a device, or that this user cannot read. A missing folder passes (it is created,
    or the caller says there is no database yet). Only ``stat``: never opens anything."""

    try:
        st = folder.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StorageError(StorageErrorKind.PERMISSION, (
            f"The data folder {folder} cannot be used ({exc.strerror}). Check the path given with --data-dir "
            "or RADICULOPATHY_DESKTOP_DATA_DIR."), exit_code=2) from None
    if not stat.S_ISDIR(st.st_mode):
        raise StorageError(StorageErrorKind.PERMISSION, (
            f"The data folder {folder} is {kind_of_file(st.st_mode)}, not a folder. Give a folder with --data-dir "
            "or RADICULOPATHY_DESKTOP_DATA_DIR; nothing was changed."), exit_code=2)
    if not os.access(folder, os.R_OK | os.X_OK):
        raise StorageError(StorageErrorKind.PERMISSION, (
            f"Your user may not read the data folder {folder}. Check its owner and permissions (it should be "
            "yours, mode 700); nothing was changed."), exit_code=2)


def make_private_dirs(folder: Path) -> None:
    """Create ``folder`` and any missing parents, each owner-only (0700) whatever the umask.

    ``mkdir(parents=True, mode=0o700)`` gives the mode to the last folder only (parents
    get the umask's 0755): when the log folder inside a new data folder was made first,
    the data folder itself ended up readable by everyone.
    """
    folder = Path(folder)
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            continue  # made meanwhile by another process: leave its mode alone
        os.chmod(path, 0o700)  # mkdir's mode is filtered by the umask
