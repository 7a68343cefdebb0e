"""The first open of a tracker written by the previous version (m006 not applied): the
checked backup and the schema migration run in a thread under the "Updating the tracker"
window, which names the step, counts the backup's pages, is busy during the index build,
asks before stopping (and then leaves the tracker as it was), and gives way to the main
window when done. Before, a 100,000-case tracker showed nothing for one to two minutes.

The update is held at a chosen point by gates the test opens (threading events), never by
a sleep: the test looks at the window exactly while the thread is at that point, whatever
the machine's speed."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QProgressBar

from helpers.schema_v5 import demo_tracker_at_version_5
from radiculopathy_desktop.storage import backup, opening, schema, upgrade_progress
from radiculopathy_desktop.storage import db as dbmod
from radiculopathy_desktop.storage.errors import StorageError
from radiculopathy_desktop.ui import app as app_module
from radiculopathy_desktop.ui import upgrading

AS_OF = dt.date(2026, 6, 1)
CASES = 300
THREAD = "schema-update"


@pytest.fixture(scope="module")
def v5_bytes(tmp_path_factory) -> bytes:
    return demo_tracker_at_version_5(tmp_path_factory.mktemp("v5") / "tracker", CASES, seed=4, as_of=AS_OF).read_bytes()


@pytest.fixture
def old_folder(v5_bytes, tmp_path, monkeypatch):
    """A fresh copy of the version-5 tracker, counted as large (the window is shown)."""
    folder = tmp_path / "tracker"
    folder.mkdir(mode=0o700)
    db = folder / "radiculopathy.sqlite3"
    db.write_bytes(v5_bytes)
    db.chmod(0o600)
    monkeypatch.setattr(upgrade_progress, "SAY_FROM_BYTES", 0)
    monkeypatch.setattr(backup, "PROGRESS_STEPS", 20)
    return folder


def _pending(folder) -> list[str]:
    conn = sqlite3.connect(f"file:{folder / 'radiculopathy.sqlite3'}?mode=ro", uri=True)
    try:
        return schema.pending_names(conn)
    finally:
        conn.close()


def _backups(folder) -> list:
    path = folder / backup.BACKUP_DIRNAME
    if not path.exists():
        return []
    return [p.name for p in backup.list_backups(path)] + [p.name for p in path.iterdir() if p.name.startswith(".")]


def _dialog():
    for w in QApplication.topLevelWidgets():
        if w.isVisible() and w.windowTitle() == upgrading.SCHEMA_TITLE and w.findChild(QProgressBar) is not None:
            return w
    return None


def _question():
    for w in QApplication.topLevelWidgets():
        if isinstance(w, QMessageBox) and w.isVisible() and w.windowTitle() == upgrading.STOP_TITLE:
            return w
    return None


def _button(box: QMessageBox, text: str):
    return next(b for b in box.buttons() if b.text() == text)


def _step_text(dialog) -> str:
    return next(lab.text() for lab in dialog.findChildren(QLabel) if lab.accessibleName() == "Update step")


class Gates:
    """Holds the update's thread at the backup's first counted step and before the migration."""

    def __init__(self, monkeypatch):
        self.at = {"backup": threading.Event(), "migrate": threading.Event()}
        self.go = {"backup": threading.Event(), "migrate": threading.Event()}
        real_backup, real_migrate = backup.backup_connection, schema.migrate

        def held_backup(conn, folder, *args, progress=None, **kwargs):
            def slowed(done, total):
                progress(done, total)  # the window hears it (and a stop asked is honoured here)
                if done > 0 and threading.current_thread().name == THREAD and not self.go["backup"].is_set():
                    self.at["backup"].set()
                    assert self.go["backup"].wait(60), "the test never let the backup go on"
            return real_backup(conn, folder, *args, progress=slowed if progress else None, **kwargs)

        def held_migrate(db):
            if threading.current_thread().name == THREAD:
                self.at["migrate"].set()
                assert self.go["migrate"].wait(60), "the test never let the migration go on"
            return real_migrate(db)

        monkeypatch.setattr(backup, "backup_connection", held_backup)
        monkeypatch.setattr(schema, "migrate", held_migrate)


def _when(condition, then):
    """Run ``then`` once ``condition()`` holds (checked on the GUI thread's event loop)."""
    def check():
        if condition():
            then()
        else:
            QTimer.singleShot(10, check)
    QTimer.singleShot(0, check)


def test_the_window_names_each_step_counts_the_copy_asks_before_stopping_and_the_main_window_follows(
        qtbot, old_folder, monkeypatch):
    gates = Gates(monkeypatch)
    seen = {}

    def at_backup():
        dialog = _dialog()
        bar = dialog.findChild(QProgressBar)
        seen["backup_step"] = _step_text(dialog)
        seen["text"] = next(lab.text() for lab in dialog.findChildren(QLabel) if lab.wordWrap())
        seen["backup_bar"] = (bar.minimum(), bar.maximum(), bar.value())
        # A second launch on this folder meanwhile is answered (it brings this window forward)
        # rather than told "not answering": the hand-over listens once the update's window shows.
        seen["listening"] = controller.instance is not None and controller.instance.server is not None
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # a user trying to get rid of it
        _when(lambda: _question() is not None, keep)

    def keep():
        box = _question()
        seen["question"] = box.text()
        seen["default"] = box.defaultButton().text()
        qtbot.mouseClick(_button(box, upgrading.KEEP_BUTTON), Qt.MouseButton.LeftButton)
        seen["after_keep"] = (_question() is None, _dialog() is not None)
        gates.go["backup"].set()
        _when(lambda: gates.at["migrate"].is_set() and "(2 of 3)" in _step_text(_dialog()), at_migrate)

    def at_migrate():
        dialog = _dialog()
        seen["migrate_step"] = _step_text(dialog)
        seen["migrate_bar_max"] = dialog.findChild(QProgressBar).maximum()
        gates.go["migrate"].set()

    _when(lambda: gates.at["backup"].is_set() and _dialog() is not None
          and _dialog().findChild(QProgressBar).maximum() > 0, at_backup)
    shown = []

    def no_dialog(dialog):
        raise AssertionError(f"unexpected start-up dialog: {dialog.windowTitle()}")

    controller = app_module.AppController(QApplication.instance(), old_folder, exec_dialog=no_dialog)
    try:
        assert controller.start() is None  # the main window is shown
        shown.append(controller.window.isVisible())
        # three steps: the previous version's review facts (REVIEW_FACTS_VERSION 10) are rewritten last
        assert seen["backup_step"] == "Making a safety copy of the tracker before updating it (1 of 3)…"
        assert seen["listening"] is True
        assert "Please do not close this window" in seen["text"] and "left as it was" in seen["text"]
        assert "safety copy already made is kept" in seen["text"]
        low, high, value = seen["backup_bar"]
        assert low == 0 and high > 0 and 0 < value < high  # a determinate count of the pages copied
        assert "left as it was" in seen["question"] and "safety copy already made is kept" in seen["question"]
        assert seen["default"] == upgrading.KEEP_BUTTON  # Enter does not stop it
        assert seen["after_keep"] == (True, True)  # asked, kept going: the window stays
        assert seen["migrate_step"] == "Updating the tracker (2 of 3)…"
        assert seen["migrate_bar_max"] == 0  # busy: the index build reports no count
        assert _dialog() is None and shown == [True]
        assert _pending(old_folder) == [] and len(_backups(old_folder)) == 1
        assert len(controller.store.worklist(AS_OF)) > 0
    finally:
        controller.shutdown()


@pytest.mark.parametrize("where", ["backup", "migrate"])
def test_stopping_asks_then_leaves_the_tracker_as_it_was_and_no_main_window(qtbot, old_folder, monkeypatch, where):
    monkeypatch.setattr(opening, "STOP_CHECK_EVERY", 50)  # the index build of 300 cases is short
    gates = Gates(monkeypatch)
    if where == "migrate":
        gates.go["backup"].set()

    def at_point():
        qtbot.keyClick(_dialog(), Qt.Key.Key_Escape)
        _when(lambda: _question() is not None, stop)

    def stop():
        qtbot.mouseClick(_button(_question(), upgrading.STOP_BUTTON), Qt.MouseButton.LeftButton)
        _when(lambda: _step_text(_dialog()) == upgrading.STOPPING, lambda: gates.go[where].set())

    _when(lambda: gates.at[where].is_set() and _dialog() is not None, at_point)

    def no_dialog(dialog):
        raise AssertionError(f"unexpected start-up dialog: {dialog.windowTitle()}")

    before = (old_folder / "radiculopathy.sqlite3").read_bytes()
    controller = app_module.AppController(QApplication.instance(), old_folder, exec_dialog=no_dialog)
    try:
        assert controller.start() == 0  # closed as asked, no error dialog
        assert controller.window is None and controller.store is None
        assert _dialog() is None
    finally:
        controller.shutdown()
    assert _pending(old_folder) == ["m006_status_counts", "m007_entry_order", "m008_scored_follow_up", "m009_patient_key",
                                    "m010_pregnancy", "m011_patient_key_turkish_i",
                                    "m012_medicine_alert_spans", "m013_derived_recompute_audit",
                                          "m014_clock_follow_up"]  # the update is undone
    if where == "backup":
        assert (old_folder / "radiculopathy.sqlite3").read_bytes() == before
        assert _backups(old_folder) == []  # no half backup
    else:
        assert len(_backups(old_folder)) == 1  # the finished safety copy is kept
    assert not upgrade_progress.marker_path(old_folder / "radiculopathy.sqlite3").exists()


def test_a_full_disk_during_the_copy_is_explained_and_changes_nothing(qtbot, old_folder, monkeypatch):
    pages = sqlite3.connect(old_folder / "radiculopathy.sqlite3").execute("PRAGMA page_count").fetchone()[0]
    real_connect = dbmod.connect

    def capped(path, **kwargs):
        conn = real_connect(path, **kwargs)
        if str(path).endswith(".partial"):  # the backup's temporary file
            conn.execute(f"PRAGMA max_page_count = {pages // 3}")
        return conn

    monkeypatch.setattr(dbmod, "connect", capped)
    before = (old_folder / "radiculopathy.sqlite3").read_bytes()
    with pytest.raises(StorageError) as err:
        app_module.open_store(old_folder)
    assert err.value.kind == "disk_full" and "Nothing was changed" in err.value.message
    assert _dialog() is None
    assert (old_folder / "radiculopathy.sqlite3").read_bytes() == before and _backups(old_folder) == []


def test_a_small_tracker_is_updated_in_place_without_the_window(qtbot, old_folder, monkeypatch):
    monkeypatch.setattr(upgrade_progress, "SAY_FROM_BYTES", 10**9)
    monkeypatch.setattr(upgrading, "_update_schema_with_progress", lambda *a: pytest.fail("window shown"))
    store = app_module.open_store(old_folder)
    try:
        assert _pending(old_folder) == [] and len(_backups(old_folder)) == 1
    finally:
        store.close()


HOLDER = """
import sys
from radiculopathy_desktop.storage import upgrade_progress
with upgrade_progress.updating_schema(sys.argv[1]):
    print("ready", flush=True)
    sys.stdin.read()  # until the test closes it
"""


@pytest.mark.skipif(sys.platform == "win32", reason="the marker is an flock (POSIX)")
def test_a_window_opened_while_another_program_updates_the_schema_says_so_and_waits(qtbot, old_folder):
    db = old_folder / "radiculopathy.sqlite3"
    other = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    seen = {}
    try:
        assert other.stdout.readline().strip() == "ready"

        def look():
            dialog = _dialog()
            label = next(lab for lab in dialog.findChildren(QLabel) if lab.wordWrap())
            seen["text"] = label.text()
            seen["bar_max"] = dialog.findChild(QProgressBar).maximum()
            seen["backups_meanwhile"] = _backups(old_folder)
            other.stdin.close()  # the other program lets go (here: without doing it)

        _when(lambda: _dialog() is not None and any(
            lab.text() == upgrading.ELSEWHERE for lab in _dialog().findChildren(QLabel)), look)
        store = app_module.open_store(old_folder)
        store.close()
    finally:
        if other.poll() is None:
            other.stdin.close()
        other.wait(timeout=60)
    assert seen["text"] == upgrading.ELSEWHERE and seen["bar_max"] == 0
    assert seen["backups_meanwhile"] == []  # no second backup started while the other one ran
    assert _pending(old_folder) == [] and len(_backups(old_folder)) == 1  # then done here, once
