"""What every export shares: versions stamped on the file, safe writing, the Qt app.

* Files are written by :func:`radiculopathy_desktop.outputs.checked_output`: an
  owner-only temporary file in the target folder, every write checked, fsynced,
  verified, then renamed into place, so a failed export never leaves a half-written file.
* :func:`check_writable` refuses an unwritable path up front with a plain message.
* :func:`versions` gives the app version and the guideline content version; every
  exported file carries both.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from functools import lru_cache
from pathlib import Path

from radiculopathy_desktop import APP_NAME, __version__
from radiculopathy_desktop.outputs import check_writable as _check_writable
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


#: "guideline content" in the languages of the printouts (a Spanish footer in Spanish: rd13 D6).
_CONTENT_WORDS = {"en": "guideline content", "es": "contenido clínico"}


#: the guideline profile a printout's doses, maxima and ratings follow, in plain words for the
#: patient and the clinician alike (prof30: a uk handout must say it is UK guidance, so a sheet
#: printed under the other profile shows it on every page)
PROFILE_WORDS = {"en": {"uk": "UK guidance", "us": "US guidance"},
                 "es": {"uk": "guía del Reino Unido", "us": "guía de EE. UU."}}


def profile_words(profile: str, lang: str = "en") -> str:
    """``profile`` in plain words ("UK guidance"); an unknown code is named as it is."""
    words = PROFILE_WORDS.get(lang, PROFILE_WORDS["en"])
    return words.get(profile) or f"{profile} profile"


def version_line(content_version: str | None = None, lang: str = "en", profile: str | None = None) -> str:
    """App, guideline content version and, with ``profile``, the guidance the printout follows."""
    v = versions(content_version)
    line = f"{v['app']} {v['app_version']} · {_CONTENT_WORDS.get(lang, _CONTENT_WORDS['en'])} {v['content_version']}"
    return line if profile is None else f"{line} · {profile_words(profile, lang)}"


def check_writable(path: Path, overwrite: bool = True) -> Path:
    """Resolve ``path`` and refuse it with a :class:`UserError` when it cannot be written
    (or, unless ``overwrite``, when a file is already there)."""
    return _check_writable(path, overwrite)


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
