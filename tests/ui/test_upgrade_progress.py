"""The first open after an upgrade of the app: the derived-data rewrite runs under a
progress window that says what is happening and cannot be closed part way, and the
command line says on the terminal why the command is slow once."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import textwrap
import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QProgressBar

from radiculopathy_desktop import cli
from radiculopathy_desktop.storage import upgrade_progress
from radiculopathy_desktop.storage.store import DERIVED_VERSION_KEY, CaseStore
from radiculopathy_desktop.ui import app as app_module
from radiculopathy_desktop.ui import upgrading

AS_OF = dt.date(2026, 6, 1)
CASES = 40


@pytest.fixture
def old_folder(tmp_path):
    """A tracker left by an older version: its derived data is stamped with another version
    and its review facts are stale (what the upgrade must rewrite)."""
    folder = tmp_path / "tracker"
    store = CaseStore.open(folder)
    app_module.populate_demo(store, CASES, seed=3, as_of=AS_OF)
    expected = [(r.case_id, r.status, r.reason) for r in store.worklist(AS_OF)]
    path = store.path
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE cases SET facts_key = 'old-version', improving = NULL, trend_rank = 1")
    conn.execute("DELETE FROM case_fact_history")
    conn.execute("DELETE FROM settings WHERE key = ?", (DERIVED_VERSION_KEY,))
    conn.commit()
    conn.close()
    return folder, expected


def _dialog():
    for w in QApplication.topLevelWidgets():
        if w.isVisible() and w.windowTitle() == upgrading.TITLE:
            return w
    return None


def _hold_the_upgrade(monkeypatch):
    """Make the thread's upgrade wait (after saying where it is) until the test lets it go,
    so the window can be looked at while it runs, whatever the machine's speed."""
    release = threading.Event()
    started = threading.Event()
    real = CaseStore.upgrade_derived_data

    def held(self, progress=None):
        if threading.current_thread().name == "derived-data-upgrade":
            progress(0, 2 * CASES)
            started.set()
            assert release.wait(60), "the test never released the upgrade"
        return real(self, progress)

    monkeypatch.setattr(CaseStore, "upgrade_derived_data", held)
    return started, release


def test_a_large_tracker_is_upgraded_under_a_window_that_says_so_and_cannot_be_closed(
        qtbot, old_folder, monkeypatch):
    folder, expected = old_folder
    monkeypatch.setattr(upgrading, "IN_PLACE_BELOW", 10)  # 40 cases count as a large tracker here
    monkeypatch.setattr(upgrade_progress, "STEP", 5)
    started, release = _hold_the_upgrade(monkeypatch)
    seen = {}

    def look():
        dialog = _dialog()
        if not started.is_set() or dialog is None or dialog.findChild(QProgressBar).maximum() != 2 * CASES:
            QTimer.singleShot(20, look)  # until the window has shown what the thread told it
            return
        text = dialog.findChild(QLabel).text()
        seen["text"] = text
        seen["bar_max"] = dialog.findChild(QProgressBar).maximum()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # a user trying to get rid of it
        seen["after_escape_visible"] = dialog.isVisible()
        seen["after_escape_text"] = dialog.findChild(QLabel).text()
        release.set()

    QTimer.singleShot(0, look)
    store = app_module.open_store(folder)
    try:
        assert f"{CASES} cases" in seen["text"] and "once" in seen["text"]
        assert seen["bar_max"] == 2 * CASES  # every case's stale facts, then every case's derived rows
        assert "clinical records are not changed" in seen["text"]
        assert seen["after_escape_visible"] is True
        assert "cannot be stopped part way" in seen["after_escape_text"]
        assert _dialog() is None  # gone by itself when done
        assert not store.upgrade_pending
        keys = {k for (k,) in store._db.conn.execute("SELECT DISTINCT facts_key FROM cases")}
        assert keys and "old-version" not in keys
        assert store._db.conn.execute("SELECT count(*) FROM case_fact_history").fetchone()[0] >= CASES
        assert [(r.case_id, r.status, r.reason) for r in store.worklist(AS_OF)] == expected
    finally:
        store.close()


def test_when_the_thread_cannot_upgrade_the_windows_own_open_does_it(qtbot, old_folder, monkeypatch):
    from radiculopathy_desktop.storage.db import StorageError

    folder, expected = old_folder
    monkeypatch.setattr(upgrading, "IN_PLACE_BELOW", 10)
    real = CaseStore.upgrade_derived_data
    calls = []

    def failing_in_thread(self, progress=None):
        calls.append(threading.current_thread().name)
        if threading.current_thread().name == "derived-data-upgrade":
            raise StorageError("locked", "busy now")
        return real(self, progress)

    monkeypatch.setattr(CaseStore, "upgrade_derived_data", failing_in_thread)
    store = app_module.open_store(folder)
    try:
        assert calls == ["derived-data-upgrade", threading.main_thread().name]
        assert not store.upgrade_pending
        assert [(r.case_id, r.status, r.reason) for r in store.worklist(AS_OF)] == expected
    finally:
        store.close()


def test_a_small_tracker_is_upgraded_in_place_without_a_window(qtbot, old_folder, monkeypatch):
    folder, expected = old_folder
    assert CASES < upgrading.IN_PLACE_BELOW
    shown = []
    monkeypatch.setattr(upgrading, "_run_with_progress", lambda *a: shown.append(a))
    store = app_module.open_store(folder)
    try:
        assert shown == [] and not store.upgrade_pending
        assert [(r.case_id, r.status, r.reason) for r in store.worklist(AS_OF)] == expected
    finally:
        store.close()


def test_a_current_tracker_opens_without_upgrading(qtbot, old_folder, monkeypatch):
    folder, _ = old_folder
    CaseStore.open(folder).close()  # brings it up to date
    monkeypatch.setattr(CaseStore, "upgrade_derived_data", lambda *a, **k: pytest.fail("upgraded twice"))
    store = app_module.open_store(folder)
    store.close()


def test_the_command_line_says_why_it_is_slow_once(old_folder, monkeypatch, capsys):
    folder, expected = old_folder
    monkeypatch.setattr(upgrade_progress, "SAY_FROM", 10)
    monkeypatch.setattr(upgrade_progress, "STEP", 5)  # the last step lands on the end: said once all the same
    monkeypatch.setattr(upgrade_progress, "listener", None)
    assert cli.main(["--data-dir", str(folder), "worklist", "--as-of", AS_OF.isoformat(), "--format", "csv"]) == 0
    err = capsys.readouterr().err
    assert "Updating the stored worklist data of every case for this version" in err
    assert "The clinical records are not changed" in err
    assert err.count("Updated the stored worklist data.") == 1
    assert cli.main(["--data-dir", str(folder), "worklist", "--as-of", AS_OF.isoformat(), "--format", "csv"]) == 0
    assert "Updating" not in capsys.readouterr().err  # once only


def test_the_progress_is_told_in_steps_and_at_both_ends(old_folder, monkeypatch):
    folder, _ = old_folder
    monkeypatch.setattr(upgrade_progress, "STEP", 10)
    heard = []
    CaseStore.open(folder, progress=lambda done, total: heard.append((done, total))).close()
    total = 2 * CASES  # the stale review facts of every case, then every case's derived rows
    assert heard == [(0, total)] + [(n, total) for n in range(10, total, 10)] + [(total, total)]


# --------------------------------------------------------------------------- another one is updating (rt7 R7)
# The window opened while another process does the one-time upgrade: before, it waited out the
# busy timeout twice and opened with the update still to do, saying nothing. Now its progress
# window says another Radiculopathy Desktop is doing the update, waits for it, then opens. The
# other process is a real child holding the write lock and the marker, as the upgrade does.
HOLDER = textwrap.dedent("""
    import sqlite3, sys
    from radiculopathy_desktop.storage import upgrade_progress
    path = sys.argv[1]
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")  # the write lock, as the upgrade's write transaction holds it
    with upgrade_progress.upgrading(path):
        print("ready", flush=True)
        sys.stdin.read()  # until the test closes it
    conn.execute("ROLLBACK")
""")


@pytest.mark.skipif(sys.platform == "win32", reason="the marker is an flock (POSIX)")
def test_the_window_says_another_one_is_updating_and_waits_for_it(qtbot, old_folder, monkeypatch):
    folder, expected = old_folder
    monkeypatch.setattr(upgrading, "IN_PLACE_BELOW", 10)  # 40 cases count as a large tracker here
    db = folder / "radiculopathy.sqlite3"
    other = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True)
    try:
        assert other.stdout.readline().strip() == "ready"
        seen = {}

        def look():
            dialog = _dialog()
            if dialog is None or dialog.findChild(QLabel).text() != upgrading.ELSEWHERE:
                QTimer.singleShot(20, look)  # until the window has shown what the thread found
                return
            seen["text"] = dialog.findChild(QLabel).text()
            seen["bar_max"] = dialog.findChild(QProgressBar).maximum()
            other.stdin.close()  # the other process finishes (here: lets go without doing it)

        QTimer.singleShot(0, look)
        store = app_module.open_store(folder)
        try:
            assert seen["text"] == (
                "Another Radiculopathy Desktop (a window or a command) is doing the one-time update of the tracker "
                "after an upgrade (this can take a few minutes at large clinics). This window waits for it to finish "
                "and then opens by itself. Nothing is changed meanwhile.")
            assert seen["bar_max"] == 0  # "busy": no count is known of the other's work
            assert _dialog() is None
            assert not upgrade_progress.upgrade_running_elsewhere(db)
            assert not store.upgrade_pending  # the other let go without it: this window did it, once free
            assert [(r.case_id, r.status, r.reason) for r in store.worklist(AS_OF)] == expected
        finally:
            store.close()
    finally:
        if other.poll() is None:
            if not other.stdin.closed:
                other.stdin.close()
        other.wait(timeout=60)
