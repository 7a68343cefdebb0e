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

from radiculopathy_desktop import APP_ID

LOG_DIR_ENV = "RADICULOPATHY_DESKTOP_LOG_DIR"
_handler: logging.FileHandler | None = None  # the app.log handler, and the file it writes


def log_dir() -> Path:
    env = os.environ.get(LOG_DIR_ENV)
    if env:
        return Path(env)
    data_env = os.environ.get("RADICULOPATHY_DESKTOP_DATA_DIR")
    if data_env:
        return Path(data_env) / "logs"
    import platformdirs  # only when no folder was given (as storage/paths.py does)

    return Path(platformdirs.user_log_dir(APP_ID, appauthor=False))


def _private_file(path: Path) -> None:
    if not path.parent.exists():
        from radiculopathy_desktop.storage.paths import make_private_dirs

        make_private_dirs(path.parent)  # the data folder too, when the log folder is inside it
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600)
        os.close(fd)
    try:
        os.chmod(path, 0o600)
    except OSError:
        pass


def configure_logging(level: int = logging.INFO) -> Path | None:
    """Send the package's log to ``app.log`` in the log folder (owner-only).

    Called by the window and by every command. Calling it again is cheap; when the log
    folder has changed since (another ``RADICULOPATHY_DESKTOP_LOG_DIR``), the log moves
    to the new folder. Returns the log file, or None when it cannot be written (the
    app then runs without a log file rather than not at all).
    """
    global _handler
    logger = logging.getLogger("radiculopathy_desktop")
    try:
        path = log_dir() / "app.log"
    except Exception:
        return None
    if _handler is not None and Path(_handler.baseFilename) == path.absolute():
        return path
    try:
        _private_file(path)
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    if _handler is not None:
        logger.removeHandler(_handler)
        _handler.close()
    logger.addHandler(handler)
    logger.setLevel(level)
    _handler = handler
    return path


def _frames(exc: BaseException) -> list[str]:
    return [f'  File "{Path(f.filename).name}", line {f.lineno}, in {f.name}'
            for f in traceback.extract_tb(exc.__traceback__)]


def scrubbed_traceback(exc: BaseException) -> str:
    """The traceback with exception messages removed (they may quote patient data).

    Keeps only file names (not folders), line numbers, function names and exception
    types, including those of the exceptions it was raised from or during.
    """
    chain: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    link = ""
    while current is not None and id(current) not in seen and len(chain) < 10:
        seen.add(id(current))
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, "The above was the direct cause of the following:"
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, "During handling of the above, another exception occurred:"
        else:
            current = None
    parts = []
    for n, (item, _link) in enumerate(reversed(chain)):
        if n:
            parts.append(chain[len(chain) - n][1])
        parts.append("Traceback (most recent call last):\n" + "\n".join(_frames(item)) + f"\n{type(item).__name__}")
    return "\n\n".join(parts)


def environment_summary() -> str:
    """App, Python, Qt and operating-system versions (no user, host or folder names)."""
    import platform

    from radiculopathy_desktop import __version__
    qt = "not loaded"
    try:
        import sys
        if "PySide6" in sys.modules:
            import PySide6
            from PySide6 import QtCore
            qt = f"Qt {QtCore.qVersion()}, PySide6 {PySide6.__version__}"
    except Exception:  # noqa: BLE001 - a summary must never fail
        pass
    return (f"Radiculopathy Desktop {__version__}; Python {platform.python_version()}; {qt}; "
            f"{platform.system()} {platform.release()} ({platform.machine()})")


def crash_report(exc: BaseException) -> str:
    """What is written to ``crash.log`` and put behind "Copy details": no patient data.

    The exception's message is left out (it may quote names or identifiers); only its
    type, where it happened in the code, the time and the versions are kept.
    """
    import datetime as dt
    stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    return f"{stamp} unexpected {type(exc).__name__}\n{environment_summary()}\n{scrubbed_traceback(exc)}"


def crash_log_path() -> Path:
    return log_dir() / "crash.log"


def log_unexpected(exc: BaseException) -> str:
    """Write an unexpected error to ``crash.log`` (owner-only); return where it went."""
    try:
        path = crash_log_path()
        _private_file(path)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(crash_report(exc) + "\n\n")
        return str(path)
    except OSError:
        return "(the log folder could not be written)"
