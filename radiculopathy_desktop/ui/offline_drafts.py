"""Drafts kept on this computer while the clinic server cannot be reached.

On the local file, a draft is saved in the database on this computer. On a clinic
server, a draft is saved on the server (per login); when the server cannot be reached
(``StorageErrorKind.UNREACHABLE``) the unfinished intake is kept here instead, in the
workstation's data folder (``offline-drafts/KEY.json``, owner-only: 0700 folder, 0600
file, written atomically), so nothing typed is lost. The next draft saved on the server
removes it; reopening New intake prefers it, since it is newer than the server's copy.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger("radiculopathy_desktop.ui")

FOLDER = "offline-drafts"


def _path(data_dir: Path | None, key: str) -> Path | None:
    if data_dir is None or not key.replace("_", "").replace("-", "").isalnum():
        return None
    return Path(data_dir) / FOLDER / f"{key}.json"


def keep(data_dir: Path | None, key: str, value: Any) -> bool:
    """Write the draft to this computer; True when it is kept (never raises)."""
    path = _path(data_dir, key)
    if path is None:
        return False
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".draft-", suffix=".tmp")  # 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(value, handle, ensure_ascii=False)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        log.warning("draft not kept on this computer either (%s)", type(exc).__name__)
        return False
    return True


def load(data_dir: Path | None, key: str) -> Any | None:
    path = _path(data_dir, key)
    if path is None:
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("a draft kept on this computer cannot be read (%s)", type(exc).__name__)
        return None


def discard(data_dir: Path | None, key: str) -> None:
    """The draft is on the server again (or the intake was saved): the local copy goes."""
    path = _path(data_dir, key)
    if path is not None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
