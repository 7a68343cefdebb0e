"""SIGTERM, SIGINT and SIGHUP close the window as closing it does (ui/stop_signals.py; hazards
H-UI-544..546): the typed intake is kept as a draft exactly as the crash guard keeps it, the window
closes without asking, the event loop ends with exit code 0, and the next start offers the draft.

The signal is sent to this process with ``os.kill`` while the app's own event loop runs
(``app.exec()``, as ``StartupSequence.run`` runs it): Qt's loop gives Python no chance to run a
handler by itself, which the wake-up pipe and its notifier are there for. A timer ends the loop
with another code if the stop never comes, so a failure cannot hang the run.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.ui import stop_signals
from radiculopathy_desktop.ui import wizard as wizard_module

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGTERM") or os.name != "posix",
                                reason="os.kill of this process with a signal it survives: POSIX")

PATIENT_ID = "STOP-ID-544"
PATIENT_NAME = "Sigrid Termann"
NOT_STOPPED = 99


def _with_cases(folder):
    """A data folder with a few invented cases (the worklist paints, then offers a kept draft)."""
    from radiculopathy_desktop.storage.store import CaseStore
    from radiculopathy_desktop.ui.app import populate_demo
    store = CaseStore.open(folder)
    try:
        populate_demo(store, 3)
    finally:
        store.close()
    return folder


def _started(qtbot, controllers, folder):
    c = controllers(folder)
    assert c.start() is None
    qtbot.waitExposed(c.window)
    c.window.activateWindow()
    qtbot.waitUntil(c.window.isActiveWindow)
    return c


def _type_intake(qtbot, window):
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)  # the intake, as a clinician opens it
    wiz = window.views["intake"]
    qtbot.keyClicks(wiz.pages[0].pid, PATIENT_ID)
    qtbot.keyClicks(wiz.pages[0].name, PATIENT_NAME)
    return wiz


def _run_loop_and_send(c, signum: int, sends: int = 1) -> int:
    """Run the app's event loop as ``StartupSequence.run`` does, send ``signum`` to this process
    from inside it, and return what ``after_exec`` makes of the loop's code."""
    app = QApplication.instance()
    for _ in range(sends):
        QTimer.singleShot(0, lambda: os.kill(os.getpid(), signum))
    with _loop_limit(app):
        code = app.exec()
    return c.after_exec(code)


@contextlib.contextmanager
def _loop_limit(app):
    """End the event loop with NOT_STOPPED if the stop never comes (stopped afterwards: a late
    ``exit`` would end the next test's loops)."""
    limit = QTimer()
    limit.setSingleShot(True)
    limit.timeout.connect(lambda: app.exit(NOT_STOPPED))
    limit.start(20000)
    try:
        yield
    finally:
        limit.stop()
        # The window closed while the loop ran: Qt posted its last-window-closed Quit, which would
        # end the next test's event loops (a real run ends here; the test process goes on).
        QCoreApplication.removePostedEvents(app, QEvent.Type.Quit)


def test_sigterm_keeps_the_typed_intake_closes_the_window_and_the_next_start_offers_it(qtbot, controllers,
                                                                                       tmp_path, caplog):
    folder = _with_cases(tmp_path / "data")
    c = _started(qtbot, controllers, folder)
    window = c.window
    wiz = _type_intake(qtbot, window)
    assert wiz.has_input()
    assert c.store.load_draft(wizard_module.DRAFT_KEY) is None  # nothing kept yet: the autosave has not run
    asked = []
    # closing by hand would ask keep / discard (answered "discard" in these tests): a stop never asks
    wizard_module.ask_keep_draft, real_ask = (lambda parent: asked.append(1) or "discard"), wizard_module.ask_keep_draft
    try:
        code = _run_loop_and_send(c, signal.SIGTERM)
    finally:
        wizard_module.ask_keep_draft = real_ask

    assert code == 0
    assert asked == []
    assert not window.isVisible()
    draft = c.store.load_draft(wizard_module.DRAFT_KEY)
    assert draft["data"]["patient"]["id"] == PATIENT_ID and draft["data"]["patient"]["name"] == PATIENT_NAME
    assert "stopping on SIGTERM" in caplog.text and "kept as a draft" in caplog.text
    assert PATIENT_ID not in caplog.text and PATIENT_NAME not in caplog.text  # no patient identifiers logged
    handlers_during_stop = signal.getsignal(signal.SIGTERM)
    assert handlers_during_stop == signal.SIG_DFL  # a second signal now ends the process at once

    c.shutdown()
    assert c.store is None and c.window is None and c.signals is None
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # pytest's own handler is back
    assert signal.set_wakeup_fd(-1) == -1  # the wake-up pipe was handed back

    again = _started(qtbot, controllers, folder)  # the next start offers the kept intake
    qtbot.waitUntil(again.window.draft_bar.isVisible, timeout=10000)
    qtbot.keyClick(again.window, Qt.Key_3, Qt.ControlModifier)
    wiz = again.window.views["intake"]
    assert wiz.pages[0].pid.text() == PATIENT_ID and wiz.pages[0].name.text() == PATIENT_NAME


@pytest.mark.parametrize("name", ["SIGINT", "SIGHUP"])
def test_ctrl_c_and_a_hang_up_stop_it_the_same_way(qtbot, controllers, tmp_path, caplog, name):
    if not hasattr(signal, name):
        pytest.skip(f"no {name} on this platform")
    c = _started(qtbot, controllers, tmp_path / "data")
    _type_intake(qtbot, c.window)
    assert _run_loop_and_send(c, getattr(signal, name)) == 0
    assert not c.window.isVisible()
    assert c.store.load_draft(wizard_module.DRAFT_KEY)["data"]["patient"]["id"] == PATIENT_ID
    assert f"stopping on {name}" in caplog.text


def test_with_nothing_typed_it_stops_without_a_draft(qtbot, controllers, tmp_path, caplog):
    c = _started(qtbot, controllers, tmp_path / "data")
    assert _run_loop_and_send(c, signal.SIGTERM) == 0
    assert not c.window.isVisible()
    assert c.store.load_draft(wizard_module.DRAFT_KEY) is None
    assert "no unfinished intake" in caplog.text


@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.ui", level=logging.WARNING)  # the failed save, by type
def test_a_draft_that_cannot_be_kept_does_not_stop_the_stop(qtbot, controllers, tmp_path, caplog, monkeypatch):
    c = _started(qtbot, controllers, tmp_path / "data")
    _type_intake(qtbot, c.window)

    def broken():
        raise RuntimeError("disk gone")

    monkeypatch.setattr(c, "_save_intake_draft", broken)
    assert _run_loop_and_send(c, signal.SIGTERM) == 0
    assert not c.window.isVisible()
    assert "intake draft could not be kept on the stop: RuntimeError" in caplog.text
    assert "disk gone" not in caplog.text


def test_a_signal_during_a_start_up_dialog_closes_it_unanswered_and_exits_0(qtbot, controllers, tmp_path):
    """Before the window exists (here: a start-up message waiting for an answer), the stop closes the
    dialog without an answer and the run ends with 0 instead of the dialog's exit code."""
    shown = []

    def exec_dialog(dialog):
        shown.append(dialog.windowTitle())
        QTimer.singleShot(0, lambda: os.kill(os.getpid(), signal.SIGTERM))
        with _loop_limit(QApplication.instance()):
            dialog.exec()

    c = controllers(tmp_path / "data", exec_dialog=exec_dialog)
    c.start_dialog = None
    c.signals = stop_signals.SignalStop(c._stop_on_signal)
    c.signals.install()
    c._show_message("A start-up message", "Waiting for an answer.")
    assert shown == ["A start-up message"] and c.stopped_by == signal.SIGTERM
    assert c.run() == 0  # stopped: the window is not shown after it


def test_without_a_wake_up_pipe_a_timer_hands_python_the_signal(qtbot, monkeypatch, caplog):
    """Windows: set_wakeup_fd takes only a socket (and there is no SIGHUP): a timer polls instead."""
    monkeypatch.delattr(signal, "set_wakeup_fd")
    if hasattr(signal, "SIGHUP"):
        monkeypatch.delattr(signal, "SIGHUP")
    assert stop_signals.stop_signals() == [signal.SIGTERM, signal.SIGINT]
    stopped = []
    app = QApplication.instance()
    guard = stop_signals.SignalStop(lambda signum: stopped.append(signum) or app.exit(0))
    try:
        assert guard.install() and guard._timer is not None and guard._pipe is None
        QTimer.singleShot(0, lambda: os.kill(os.getpid(), signal.SIGTERM))
        with _loop_limit(app):
            assert app.exec() == 0
        assert stopped == [signal.SIGTERM]
    finally:
        guard.uninstall()
        guard.deleteLater()
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_install_outside_the_main_thread_changes_nothing():
    import threading
    result = []
    guard = stop_signals.SignalStop(lambda signum: None)
    worker = threading.Thread(target=lambda: result.append(guard.install()))
    worker.start()
    worker.join()
    assert result == [False] and not guard.installed
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    guard.deleteLater()


def test_one_stop_per_process_a_second_installs_nothing():
    """Handlers and the wake-up fd are process-wide: a second start-up sequence in the same
    process (the tests) must not take them over, nor hand back the first one's closed pipe."""
    first = stop_signals.SignalStop(lambda signum: None)
    second = stop_signals.SignalStop(lambda signum: None)
    try:
        assert first.install()
        assert not second.install() and not second.installed
        assert signal.getsignal(signal.SIGTERM) == first._handler
    finally:
        second.uninstall()
        first.uninstall()
        first.deleteLater()
        second.deleteLater()
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL and signal.set_wakeup_fd(-1) == -1
    assert stop_signals._active is None


def test_a_locked_window_over_a_typed_visit_closes_and_keeps_the_visit_on_this_computer(qtbot, controllers, store,
                                                                                       tmp_path, caplog):
    """Closing a locked window over a typed visit is refused by hand (nobody identified to ask);
    a stop cannot wait for an unlock: the visit is kept on this computer as the crash guard keeps
    it (offline-drafts/writes, offered at the next start) and the window closes."""
    from .keyboard import focus, type_here
    from .test_lock import set_passphrase
    from .window_steps import open_visit_dialog

    case = "P-NFU-case"  # the seed cases of tests/ui/conftest.py, in tmp_path / "data"
    c = _started(qtbot, controllers, tmp_path / "data")
    window = c.window
    set_passphrase(window, qtbot).close()
    dialog = open_visit_dialog(window, qtbot, case)
    qtbot.keyClick(focus(), Qt.Key_L, Qt.AltModifier)  # &Leg pain now
    type_here(qtbot, "4")
    assert dialog.has_input()
    qtbot.keyClick(focus(), Qt.Key_L, Qt.ControlModifier)  # Lock now
    qtbot.waitUntil(lambda: window.lock.locked)
    kept = tmp_path / "data" / "offline-drafts" / "writes"
    for stale in (kept.iterdir() if kept.is_dir() else ()):  # what the lock kept: the stop must keep it too
        stale.unlink()

    assert _run_loop_and_send(c, signal.SIGTERM) == 0
    assert not window.isVisible()
    assert kept.is_dir() and list(kept.iterdir())  # the typed visit, on this computer
    assert [v.leg_nrs for v in c.store.get_case(case).visits] == []  # kept, not saved as a visit
    assert "Nico" not in caplog.text and case not in caplog.text
