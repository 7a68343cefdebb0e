"""A tracker two versions old (schema m005 and derived data from another version): its first
open makes the safety copy, updates the schema, then rewrites the stored worklist data, all
under ONE "Updating the tracker" window that names each step ("(1 of 3)", "(2 of 3)",
"(3 of 3)") and closes once. Before, two windows followed each other about 50 ms apart (the
second without a step number): to the person at the workstation it looked as if the update
had finished, then started again.

The update's threads are held at chosen points by gates the test opens (threading events),
never by sleeps; the window is looked at while the thread is there, whatever the machine's
speed. The window's appearances are counted by an event filter on the application (its Show
and Hide events), which is what the user sees.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading

import pytest
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QProgressBar

from radiculopathy_desktop.demo import generate_case_dicts
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage import backup, opening, schema, upgrade_progress
from radiculopathy_desktop.storage.store import DERIVED_VERSION_KEY, CaseStore
from radiculopathy_desktop.ui import app as app_module
from radiculopathy_desktop.ui import upgrading

AS_OF = dt.date(2026, 6, 1)
CASES = 60


@pytest.fixture
def two_versions_old(tmp_path, monkeypatch):
    """A tracker set back to schema version 5 whose derived data is stamped by no version."""
    folder = tmp_path / "tracker"
    with CaseStore.open(folder) as store:
        store.import_cases([parse_case(d) for d in generate_case_dicts(CASES, seed=5, as_of=AS_OF)])
        expected = [(r.case_id, r.status, r.reason) for r in store.worklist(AS_OF)]
        path = store.path
    from helpers.schema_v5 import make_version_6

    make_version_6(path)
    conn = sqlite3.connect(path)
    conn.executescript("""
        DROP INDEX cases_status;
        CREATE INDEX cases_status ON cases(immediate, last_decision_kind, resolved, has_follow_up, care_start_ord,
            continue_until_ord);
        DELETE FROM _sqlite_migrations WHERE name = 'm006_status_counts';
        PRAGMA user_version = 5;
    """)
    conn.execute("UPDATE cases SET facts_key = 'old-version', improving = NULL, trend_rank = 1")
    conn.execute("DELETE FROM settings WHERE key = ?", (DERIVED_VERSION_KEY,))
    conn.commit()
    conn.close()
    monkeypatch.setattr(upgrade_progress, "SAY_FROM_BYTES", 0)  # counted as large: the window is shown
    monkeypatch.setattr(backup, "PROGRESS_STEPS", 20)
    return folder, expected


class Gates:
    """Hold the backup at its first counted page, the migration, and the derived rewrite."""

    def __init__(self, monkeypatch):
        self.at = {k: threading.Event() for k in ("backup", "migrate", "derived")}
        self.go = {k: threading.Event() for k in ("backup", "migrate", "derived")}
        real_backup, real_migrate, real_derived = backup.backup_connection, schema.migrate, \
            CaseStore.upgrade_derived_data

        def hold(name):
            self.at[name].set()
            assert self.go[name].wait(60), f"the test never let the {name} step go on"

        def held_backup(conn, folder, *args, progress=None, **kwargs):
            def counted(done, total):
                progress(done, total)
                if done > 0 and threading.current_thread().name == "schema-update" and not self.go["backup"].is_set():
                    hold("backup")
            return real_backup(conn, folder, *args, progress=counted if progress else None, **kwargs)

        def held_migrate(db):
            if threading.current_thread().name == "schema-update":
                hold("migrate")
            return real_migrate(db)

        def held_derived(store, progress=None):
            if threading.current_thread().name == "derived-data-upgrade":
                progress(0, 2 * CASES)
                hold("derived")
            return real_derived(store, progress)

        monkeypatch.setattr(backup, "backup_connection", held_backup)
        monkeypatch.setattr(schema, "migrate", held_migrate)
        monkeypatch.setattr(CaseStore, "upgrade_derived_data", held_derived)


class Appearances(QObject):
    """Counts each time an "Updating the tracker" window is shown and hidden."""

    def __init__(self):
        super().__init__()
        self.shown, self.hidden = [], []

    def eventFilter(self, obj, event):  # noqa: N802
        if isinstance(obj, QDialog) and obj.windowTitle() == upgrading.TITLE and not event.spontaneous():
            if event.type() == QEvent.Type.Show:
                self.shown.append(id(obj))
            elif event.type() == QEvent.Type.Hide:
                self.hidden.append(id(obj))
        return False


def _dialog():
    for w in QApplication.topLevelWidgets():
        if isinstance(w, QDialog) and w.isVisible() and w.windowTitle() == upgrading.TITLE:
            return w
    return None


def _step(dialog) -> str:
    label = next(lab for lab in dialog.findChildren(QLabel) if lab.accessibleName() == "Update step")
    return label.text() if label.isVisible() else ""


def _when(condition, then):
    def check():
        if condition():
            then()
        else:
            QTimer.singleShot(10, check)
    QTimer.singleShot(0, check)


def test_one_window_shows_the_three_steps_and_closes_once(qtbot, two_versions_old, monkeypatch):
    folder, expected = two_versions_old
    gates = Gates(monkeypatch)
    seen = {}
    watcher = Appearances()
    QApplication.instance().installEventFilter(watcher)

    def at(name, then):
        def look():
            dialog = _dialog()
            bar = dialog.findChild(QProgressBar)
            seen[name] = (_step(dialog), id(dialog), bar.maximum())
            then(dialog)
            gates.go[name].set()
        return look

    def on_derived(dialog):
        text = next(lab for lab in dialog.findChildren(QLabel) if lab.wordWrap())
        seen["derived_text"] = text.text()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # a user trying to close it: it cannot stop here
        seen["after_escape"] = (dialog.isVisible(), text.text())

    _when(lambda: gates.at["backup"].is_set() and _dialog() is not None
          and _dialog().findChild(QProgressBar).maximum() > 0, at("backup", lambda d: None))
    _when(lambda: gates.at["migrate"].is_set() and _dialog() is not None and "(2 of" in _step(_dialog()),
          at("migrate", lambda d: None))
    _when(lambda: gates.at["derived"].is_set() and _dialog() is not None and "(3 of" in _step(_dialog())
          and _dialog().findChild(QProgressBar).maximum() == 2 * CASES, at("derived", on_derived))
    try:
        store = app_module.open_store(folder)
    finally:
        QApplication.instance().removeEventFilter(watcher)
    try:
        assert seen["backup"][0] == "Making a safety copy of the tracker before updating it (1 of 3)…"
        assert seen["migrate"][0] == "Updating the tracker (2 of 3)…"
        assert seen["derived"][0] == "Updating the stored worklist data (3 of 3)…"
        assert seen["backup"][1] == seen["migrate"][1] == seen["derived"][1]  # the same window throughout
        assert seen["migrate"][2] == 0 and seen["derived"][2] == 2 * CASES  # busy, then counted
        assert f"{CASES} cases" in seen["derived_text"] and "clinical records are not changed" in seen["derived_text"]
        assert seen["after_escape"][0] is True and "cannot be stopped part way" in seen["after_escape"][1]
        assert len(watcher.shown) == 1 and len(watcher.hidden) == 1  # shown once, closed once
        assert _dialog() is None
        assert not store.upgrade_pending
        assert len(backup.list_backups(folder / backup.BACKUP_DIRNAME)) == 1  # one safety copy
        conn = sqlite3.connect(f"file:{store.path}?mode=ro", uri=True)
        try:
            assert schema.pending_names(conn) == []
        finally:
            conn.close()
        assert [(r.case_id, r.status, r.reason) for r in store.worklist(AS_OF)] == expected
    finally:
        store.close()


def test_the_peek_tells_the_rewrite_to_come_without_changing_the_file(two_versions_old):
    folder, _ = two_versions_old
    db = folder / "radiculopathy.sqlite3"
    before = db.read_bytes()
    assert opening.pending_derived_rewrite(db, CaseStore.derived_version()) == CASES
    assert db.read_bytes() == before
    CaseStore.open(folder).close()  # brought up to date
    assert opening.pending_derived_rewrite(db, CaseStore.derived_version()) == 0
    current = CaseStore.derived_version()
    assert opening.pending_derived_rewrite(folder / "missing.sqlite3", current) == 0  # the real open explains


def test_stopping_at_the_first_step_closes_the_one_window_and_opens_nothing(qtbot, two_versions_old, monkeypatch):
    folder, _ = two_versions_old
    gates = Gates(monkeypatch)
    watcher = Appearances()

    def stop_it():
        qtbot.keyClick(_dialog(), Qt.Key.Key_Escape)
        _when(lambda: _question() is not None, confirm)

    def confirm():
        box = _question()
        next(b for b in box.buttons() if b.text() == upgrading.STOP_BUTTON).click()
        _when(lambda: _step(_dialog()) == upgrading.STOPPING, lambda: gates.go["backup"].set())

    _when(lambda: gates.at["backup"].is_set() and _dialog() is not None, stop_it)
    QApplication.instance().installEventFilter(watcher)
    try:
        with pytest.raises(upgrade_progress.UpdateStopped):
            app_module.open_store(folder)
    finally:
        QApplication.instance().removeEventFilter(watcher)
    assert not gates.at["derived"].is_set()  # the rewrite never started
    assert len(watcher.shown) == 1 and len(watcher.hidden) == 1 and _dialog() is None
    current = CaseStore.derived_version()
    assert opening.pending_derived_rewrite(folder / "radiculopathy.sqlite3", current) == CASES  # nothing changed


def _question():
    from PySide6.QtWidgets import QMessageBox
    for w in QApplication.topLevelWidgets():
        if isinstance(w, QMessageBox) and w.isVisible() and w.windowTitle() == upgrading.STOP_TITLE:
            return w
    return None
