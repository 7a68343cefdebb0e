"""Application logging: to a file in the user log folder, never with patient identifiers.

Log calls pass case numbers at most; names, identifiers, birth dates and free text
never go into a log message. ``tests/test_logging_privacy.py`` runs a workflow with a
sentinel name and searches every log file for it.
"""

from __future__ import annotations

import logging
import os
import traceback
from pathlib import Path

import platformdirs

from radiculopathy_desktop import APP_ID

LOG_DIR_ENV = "RADICULOPATHY_DESKTOP_LOG_DIR"
_configured = False


def log_dir() -> Path:
    env = os.environ.get(LOG_DIR_ENV)
    if env:
        return Path(env)
    data_env = os.environ.get("RADICULOPATHY_DESKTOP_DATA_DIR")
    if data_env:
        return Path(data_env) / "logs"
    return Path(platformdirs.user_log_dir(APP_ID, appauthor=False))


def _private_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600)
        os.close(fd)
    try:
        os.chmod(path, 0o600)
    except OSError:
        pass


def configure_logging(level: int = logging.INFO) -> Path | None:
    """Send the package's log to ``app.log`` in the log folder (owner-only)."""
    global _configured
    logger = logging.getLogger("radiculopathy_desktop")
    if _configured:
        return None
    try:
        path = log_dir() / "app.log"
        _private_file(path)
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
    _configured = True
    return path


def scrubbed_traceback(exc: BaseException) -> str:
    """The traceback with exception messages removed (they may quote patient data)."""
    frames = traceback.extract_tb(exc.__traceback__)
    lines = [f'  File "{Path(f.filename).name}", line {f.lineno}, in {f.name}' for f in frames]
    return "Traceback (most recent call last):\n" + "\n".join(lines) + f"\n{type(exc).__name__}"


def log_unexpected(exc: BaseException) -> str:
    """Write an unexpected error to ``crash.log``; return where it went."""
    try:
        path = log_dir() / "crash.log"
        _private_file(path)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(scrubbed_traceback(exc) + "\n\n")
        return str(path)
    except OSError:
        return "(the log folder could not be written)"
