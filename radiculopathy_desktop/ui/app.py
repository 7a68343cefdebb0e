"""Starting the window: QApplication setup, high-DPI, palette, store, demo cohort."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

log = logging.getLogger("radiculopathy_desktop.ui")


def ensure_application(argv: list[str] | None = None):
    """The QApplication, created once with fractional scaling (125 %, 150 %...) kept exact."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    from radiculopathy_desktop import APP_NAME, __version__
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("radiculopathy-desktop")
    return app


def open_store(data_dir: Path | None):
    from radiculopathy_desktop.storage.store import CaseStore
    return CaseStore.open(data_dir)


def populate_demo(store, cases: int, seed: int = 1, as_of=None, batch: int = 2000) -> None:
    """Write a generated demo cohort (invented patients only) into ``store``."""
    import datetime as dt
    from radiculopathy_desktop import demo
    from radiculopathy_desktop.domain.intake import parse_case

    chunk = []
    for data in demo.generate_case_dicts(cases, seed=seed, as_of=as_of or dt.date.today()):
        chunk.append(parse_case(data))
        if len(chunk) >= batch:
            store.import_cases(chunk, user="demo")
            chunk = []
    if chunk:
        store.import_cases(chunk, user="demo")


def make_demo_dir(cases: int = 400) -> Path:
    """A temporary data folder holding a generated demo cohort."""
    folder = Path(tempfile.mkdtemp(prefix="radiculopathy-demo-"))
    store = open_store(folder)
    try:
        populate_demo(store, cases)
    finally:
        with contextlib.suppress(Exception):
            store.close()
    return folder


def demo_command() -> tuple[str, list[str]]:
    """How to start this same app in demo mode (a frozen build is its own executable)."""
    if getattr(sys, "frozen", False):
        return sys.executable, ["--demo"]
    return sys.executable, ["-m", "radiculopathy_desktop", "--demo"]


def start_demo_instance() -> None:
    """Start a second window of the app on a temporary demo cohort.

    A separate process with its own temporary data folder (``--demo``), so demo patients
    can never be written into the clinic's database. Tests replace this function.
    """
    from PySide6.QtCore import QProcess

    from radiculopathy_desktop.errors import UserError
    program, args = demo_command()
    ok, _pid = QProcess.startDetached(program, args)
    if not ok:
        raise UserError("The demo cohort could not be started. Try the command "
                        "'radiculopathy-desktop --demo' instead.")


def create_window(context):
    from radiculopathy_desktop.ui.main_window import MainWindow
    return MainWindow(context)


def run_app(data_dir: Path | None = None, demo: bool = False) -> int:
    app = ensure_application()
    from radiculopathy_desktop.ui.context import AppContext
    from radiculopathy_desktop.ui.errors import ErrorDialog
    from radiculopathy_desktop.ui.events import EventHub

    demo_dir = None
    try:
        if demo:
            demo_dir = make_demo_dir()
            data_dir = demo_dir
        store = open_store(data_dir)
    except Exception as exc:  # shown in words, never a traceback
        dialog = ErrorDialog(exc)
        dialog.exec()
        if demo_dir:
            shutil.rmtree(demo_dir, ignore_errors=True)
        return 3
    context = AppContext(store=store, hub=EventHub(), data_dir=Path(getattr(store, "data_dir", data_dir or "")),
                         demo=demo)
    window = create_window(context)
    window.show()
    try:
        return app.exec()
    finally:
        with contextlib.suppress(Exception):
            store.close()
        if demo_dir:
            shutil.rmtree(demo_dir, ignore_errors=True)
