"""Unexpected errors (issue 7): a plain-language dialog, the intake kept, a log with no patient data.

An exception raised in a Qt slot reaches the crash guard installed by the app: it
keeps the unfinished intake as a draft (it reopens at the next start), writes the
scrubbed crash log, and shows one dialog with "Copy details"; the window keeps
working. The patient in the intake and the exception's message carry sentinels that
must appear in neither the log nor the copied details.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QPushButton

from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.storage.db import StorageError
from radiculopathy_desktop.ui import app as app_module
from radiculopathy_desktop.ui import errors
from radiculopathy_desktop.ui import wizard as wizard_module
from radiculopathy_desktop.ui.errors import CrashDialog, ErrorDialog, describe

SENTINEL_NAME = "Zzyzx Sentinelname"
SENTINEL_ID = "SENTINEL-ID-991"


def _no_sentinel(text: str) -> None:
    for s in (SENTINEL_NAME, SENTINEL_ID, "Zzyzx", "SENTINEL-ID"):
        assert s not in text, s


def _crash_log() -> Path:
    return Path(os.environ["RADICULOPATHY_DESKTOP_LOG_DIR"]) / "crash.log"


@pytest.fixture
def start(tmp_path):
    """Start the app on a folder (call inside the test, so the crash guard replaces pytest-qt's hook)."""
    made = []

    def _start(qtbot, folder=None):
        def no_dialog(dialog):
            raise AssertionError(f"unexpected start-up dialog: {dialog.windowTitle()}")
        c = app_module.AppController(QApplication.instance(), folder or tmp_path / "data", exec_dialog=no_dialog)
        made.append(c)
        assert c.start() is None
        qtbot.waitExposed(c.window)
        c.window.activateWindow()  # shortcuts (Ctrl+3) need the active window, as for a user
        qtbot.waitUntil(c.window.isActiveWindow)
        return c

    yield _start
    for c in made:
        c.shutdown()


def failing_button(window) -> QPushButton:
    """A control whose slot hits a bug that quotes the patient in its message."""
    button = QPushButton("Do the thing")
    window.statusBar().addWidget(button)

    def buggy_slot():
        record = {"name": SENTINEL_NAME}
        raise ValueError(f"cannot handle {record['name']} ({SENTINEL_ID})")

    button.clicked.connect(buggy_slot)
    return button


def type_patient(qtbot, window):
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    wiz = window.views["intake"]
    qtbot.keyClicks(wiz.pages[0].pid, SENTINEL_ID)
    qtbot.keyClicks(wiz.pages[0].name, SENTINEL_NAME)
    return wiz


@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.ui", level=logging.ERROR)  # the unexpected error is logged (type only)
def test_exception_in_a_slot_keeps_the_draft_logs_no_patient_data_and_keeps_running(qtbot, start, caplog,
                                                                                     monkeypatch):
    app = start(qtbot)
    window = app.window
    wiz = type_patient(qtbot, window)
    saves = []
    real_save = getattr(wiz, "save_draft_now", None)
    if real_save is not None:  # the crash guard asks the wizard itself to keep its draft
        monkeypatch.setattr(wiz, "save_draft_now", lambda: saves.append(1) or real_save())
    button = failing_button(window)
    qtbot.mouseClick(button, Qt.LeftButton)
    assert saves == ([1] if real_save is not None else [])

    dialog = app.guard.dialog
    assert isinstance(dialog, CrashDialog) and dialog.isVisible()
    assert dialog.windowTitle() == "An unexpected problem"
    text = dialog.message_label.text()
    assert "did not expect (ValueError)" in text
    assert "unfinished intake was kept" in text and "will reopen" in text
    assert str(_crash_log()) in text and "without any patient details" in text
    assert "You can keep working" in text
    _no_sentinel(text)

    log_text = _crash_log().read_text(encoding="utf-8")
    assert "ValueError" in log_text and "buggy_slot" in log_text and "test_crash_dialog.py" in log_text
    _no_sentinel(log_text)
    assert os.stat(_crash_log()).st_mode & 0o077 == 0
    assert "unexpected error (ValueError)" in caplog.text
    _no_sentinel(caplog.text)

    qtbot.mouseClick(dialog.copy_button, Qt.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert "ValueError" in copied and "buggy_slot" in copied and "Radiculopathy Desktop" in copied
    assert "Python" in copied and "Qt" in copied and str(_crash_log()) in copied
    _no_sentinel(copied)

    draft = app.store.load_draft(wizard_module.DRAFT_KEY)
    assert draft["data"]["patient"]["name"] == SENTINEL_NAME and draft["data"]["patient"]["id"] == SENTINEL_ID

    qtbot.mouseClick(dialog.keep_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: app.guard.dialog is None)
    assert window.isVisible()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key_1, Qt.ControlModifier)  # still working
    assert window.stack.currentWidget() is window.views["worklist"]

    folder = app.data_dir
    app.shutdown()
    again = start(qtbot, folder)  # the next start: the intake reopens with what was typed
    qtbot.keyClick(again.window, Qt.Key_3, Qt.ControlModifier)
    wiz = again.window.views["intake"]
    assert wiz.pages[0].name.text() == SENTINEL_NAME and wiz.pages[0].pid.text() == SENTINEL_ID


@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.ui", level=logging.ERROR)  # the unexpected error is logged (type only)
def test_no_intake_no_draft_claim(qtbot, start, caplog):
    app = start(qtbot)
    qtbot.mouseClick(failing_button(app.window), Qt.LeftButton)
    dialog = app.guard.dialog
    assert dialog.isVisible() and "intake" not in dialog.message_label.text()
    dialog.close()


@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.ui", level=logging.ERROR)  # the unexpected error is logged (type only)
def test_a_storm_shows_one_dialog_and_caps_the_log(qtbot, start, caplog, monkeypatch):
    monkeypatch.setattr(errors.CrashGuard, "LOG_LIMIT_PER_MINUTE", 3)
    app = start(qtbot)
    button = failing_button(app.window)
    for _ in range(6):
        qtbot.mouseClick(button, Qt.LeftButton)
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, CrashDialog) and w.isVisible()]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    assert dialog.more == 5 and "5 more unexpected problems" in dialog.more_label.text()
    assert _crash_log().read_text(encoding="utf-8").count("unexpected ValueError") == 3
    assert app.guard.dropped == 3
    dialog.close()


@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.ui", level=logging.ERROR)  # the unexpected error is logged (type only)
def test_an_error_while_reporting_is_only_logged(qtbot, start, caplog, monkeypatch):
    app = start(qtbot)
    button = failing_button(app.window)

    def broken(*args, **kwargs):
        raise RuntimeError("the dialog itself failed")

    # Only this patch is undone below: monkeypatch.undo() would also undo the test's own
    # HOME and log folder, and the next crash.log would land in the real home.
    with monkeypatch.context() as patch:
        patch.setattr(errors, "CrashDialog", broken)
        qtbot.mouseClick(button, Qt.LeftButton)  # must not recurse or raise
        assert app.guard.dialog is None and not app.guard._handling
        log_text = _crash_log().read_text(encoding="utf-8")
        assert "unexpected ValueError" in log_text and "unexpected RuntimeError" in log_text
    qtbot.mouseClick(button, Qt.LeftButton)  # the next one is reported normally
    assert app.guard.dialog is not None and app.guard.dialog.isVisible()
    app.guard.dialog.close()


@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.ui", level=logging.ERROR)  # the unexpected error is logged (type only)
def test_an_exception_in_a_worker_thread_is_reported_on_the_window(qtbot, start, caplog):
    app = start(qtbot)

    def work():
        raise KeyError(SENTINEL_ID)

    t = threading.Thread(target=work)
    t.start()
    t.join()
    qtbot.waitUntil(lambda: app.guard.dialog is not None and app.guard.dialog.isVisible())
    assert "KeyError" in app.guard.dialog.message_label.text()
    _no_sentinel(_crash_log().read_text(encoding="utf-8"))
    app.guard.dialog.close()


def test_the_guard_is_removed_at_shutdown(qtbot, start):
    import sys
    before_thread_hook = threading.excepthook
    app = start(qtbot)
    assert sys.excepthook == app.guard._excepthook and threading.excepthook == app.guard._thread_hook
    app.shutdown()
    assert threading.excepthook is before_thread_hook


# --------------------------------------------------------------------------- details without patient data
def test_describe_keeps_exception_messages_out_of_the_details():
    try:
        raise ValueError(f"bad record for {SENTINEL_NAME} ({SENTINEL_ID})")
    except ValueError as exc:
        title, message, details = describe(exc)
    assert title == "An unexpected problem" and "ValueError" in message
    assert "ValueError" in details and "test_describe_keeps_exception_messages_out_of_the_details" in details
    _no_sentinel(message + details)


def test_a_user_error_is_shown_but_not_copied():
    exc = UserError(f"A case with ID {SENTINEL_ID} already exists.")
    title, message, details = describe(exc)
    assert SENTINEL_ID in message  # the person at the keyboard sees it ...
    _no_sentinel(details)          # ... "Copy details" never carries it
    assert "UserError" in details


def test_a_storage_error_keeps_its_message_in_the_details(tmp_path):
    exc = StorageError("locked", f"The database is busy. Database: {tmp_path / 'radiculopathy.sqlite3'}")
    title, message, details = describe(exc)
    assert title == "The database is busy"
    assert "kind: locked" in details and "message: The database is busy" in details


def test_error_dialog_copy_details(qtbot):
    try:
        raise RuntimeError(f"while printing {SENTINEL_NAME}")
    except RuntimeError as exc:
        dialog = ErrorDialog(exc)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.copy_button, Qt.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert "RuntimeError" in copied
    _no_sentinel(copied + dialog.message_label.text())
