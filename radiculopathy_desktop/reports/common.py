"""What every export shares: versions stamped on the file, safe writing, the Qt app.

* :func:`atomic_output` writes to a temporary file in the target folder, fsyncs it and
  renames it over the target, so a failed export never leaves a half-written file.
* :func:`check_writable` refuses an unwritable path up front with a plain message.
* :func:`versions` gives the app version and the guideline content version; every
  exported file carries both.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import IO, Iterator

from radiculopathy_desktop import APP_NAME, __version__
from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.resources import resource_path

PAPER_SIZES = ("a4", "letter")


@lru_cache(maxsize=1)
def guideline_content_version() -> str:
    """The content version of the guideline data (``resources/guidelines/manifest.toml``)."""
    try:
        with open(resource_path("guidelines", "manifest.toml"), "rb") as fh:
            return str(tomllib.load(fh)["content_version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def versions(content_version: str | None = None) -> dict[str, str]:
    return {
        "app": APP_NAME,
        "app_version": __version__,
        "content_version": content_version or guideline_content_version(),
    }


def version_line(content_version: str | None = None) -> str:
    v = versions(content_version)
    return f"{v['app']} {v['app_version']} · guideline content {v['content_version']}"


def check_writable(path: Path) -> Path:
    """Resolve ``path`` and refuse it with a :class:`UserError` when it cannot be written."""
    path = Path(path).expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise UserError(f"Cannot write {path}: it is a folder; give a file name.", exit_code=2)
    if not folder.is_dir():
        raise UserError(f"Cannot write {path}: the folder {folder} does not exist.", exit_code=2)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UserError(f"Cannot write {path}: no permission to write in {folder}.", exit_code=2)
    if path.exists() and not os.access(path, os.W_OK):
        raise UserError(f"Cannot write {path}: the file is read-only.", exit_code=2)
    return path


@contextlib.contextmanager
def atomic_output(path: Path, mode: str = "wb", encoding: str | None = None,
                  newline: str | None = None) -> Iterator[tuple[IO, Path]]:
    """Yield ``(file, temp_path)`` for a temporary file beside ``path``; on success
    fsync and rename it over ``path``; on any error remove it and re-raise.

    Writers that need a file name rather than a file object (QPdfWriter) write to
    ``temp_path`` and ignore the file object.
    """
    path = check_writable(Path(path))
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise UserError(f"Cannot write {path}: {exc.strerror or exc}.", exit_code=2) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as fh:
            yield fh, tmp
            fh.flush()
            os.fsync(fh.fileno())
        # a writer that wrote by name (QPdfWriter) has closed its own handle; sync its bytes
        with open(tmp, "rb") as check:
            os.fsync(check.fileno())
        try:
            os.chmod(tmp, 0o644 & ~_umask())
        except OSError:
            pass
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            raise UserError(f"Cannot write {path}: {exc.strerror or exc}. Nothing was written.",
                            exit_code=2) from None
        raise
    _fsync_dir(path.parent)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def ensure_gui_app():
    """The application object for font and paint work (offscreen when there is no display).

    A QApplication, not a bare QGuiApplication: a process that renders a handout and
    later opens a window (or a dialog) needs the widgets kind, and Qt allows one only.
    """
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    app = QGuiApplication.instance()
    if app is None:
        if not os.environ.get("QT_QPA_PLATFORM") and not (
                os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.name == "nt"
                or os.uname().sysname == "Darwin"):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        app = QApplication([APP_NAME])
    return app


MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
           "octubre", "noviembre", "diciembre"),
}


def long_date(day: dt.date, lang: str = "en") -> str:
    """21 November 2026 / 21 de noviembre de 2026 (never the ambiguous 11/05/2026)."""
    month = MONTHS[lang][day.month - 1]
    if lang == "es":
        return f"{day.day} de {month} de {day.year}"
    return f"{day.day} {month} {day.year}"
