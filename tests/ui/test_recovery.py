"""Start-up with a damaged database, and damage found while running (issue 7).

The damaged file is never changed: the recovery dialog says what happened and where
the file is, offers the newest good backup, and restoring it keeps the damaged bytes
in the backups folder. Dialogs are driven with clicks, shown without blocking.
"""

from __future__ import annotations

import logging
import os

import pytest
from PySide6.QtCore import Qt

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.vocab import StorageErrorKind
from radiculopathy_desktop.storage import backup as bk
from radiculopathy_desktop.storage.store import CaseStore
from radiculopathy_desktop.ui import app as app_module
from radiculopathy_desktop.ui import recovery
from radiculopathy_desktop.ui.errors import ErrorDialog
from radiculopathy_desktop.ui.recovery import RecoveryDialog

from .conftest import case_dict, seed_cases


def _seed(folder, extra=()):
    with CaseStore.open(folder) as s:
        s.import_cases([parse_case(c) for c in seed_cases()], user="test")
        if extra:
            s.import_cases([parse_case(c) for c in extra], user="test")


def _damage(db, how: str) -> bytes:
    if how == "random":
        db.write_bytes(os.urandom(32768))
    else:
        data = db.read_bytes()
        db.write_bytes(data[: len(data) // 3])
    for side in ("-wal", "-shm"):
        p = db.with_name(db.name + side)
        if p.exists():
            p.unlink()
    return db.read_bytes()


class Dialogs:
    """Plays the user at start-up: shows each modal dialog without blocking and clicks a button."""

    def __init__(self, qtbot, *clicks):
        self.qtbot = qtbot
        self.clicks = list(clicks)
        self.seen = []  # (class name, title, all label text)

    def __call__(self, dialog):
        from PySide6.QtWidgets import QLabel
        dialog.show()
        self.qtbot.waitExposed(dialog)
        text = "\n".join(label.text() for label in dialog.findChildren(QLabel))
        self.seen.append((type(dialog).__name__, dialog.windowTitle(), text, dialog))
        click = self.clicks.pop(0)
        self.qtbot.mouseClick(click(dialog), Qt.LeftButton)
        assert not dialog.isVisible()
        return dialog.result()


@pytest.fixture(autouse=True)
def no_folder_browser(monkeypatch):
    opened = []
    monkeypatch.setattr(recovery, "open_folder", lambda folder: opened.append(folder) or True)
    return opened


@pytest.mark.parametrize("how", ["random", "truncated"])
@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.ui", level=logging.WARNING)  # damage found is logged (kind only)
def test_damaged_file_at_start_offers_the_newest_good_backup_and_quit_changes_nothing(
        qtbot, tmp_path, controllers, caplog, no_folder_browser, how):
    data = tmp_path / "data"
    _seed(data)
    good = bk.backup_database(data).path
    db = data / "radiculopathy.sqlite3"
    original = _damage(db, how)

    def open_then_quit(dialog):
        qtbot.mouseClick(dialog.folder_button, Qt.LeftButton)
        return dialog.close_button

    dialogs = Dialogs(qtbot, open_then_quit)
    controller = controllers(data, dialogs)
    assert controller.start() == 3
    kind, title, text, _ = dialogs.seen[0]
    assert kind == "RecoveryDialog"
    assert title in (StorageErrorKind.CORRUPT.label, StorageErrorKind.NOT_A_DATABASE.label)
    assert "not changed" in text and str(db) in text
    assert good.name in text and "5 cases" in text and "Newest good backup" in text
    assert no_folder_browser == [data / "backups"]
    assert db.read_bytes() == original  # byte-identical
    assert not any(".damaged-" in p.name for p in (data / "backups").iterdir())
    assert controller.window is None
    assert "recovery offered" in caplog.text


@pytest.mark.parametrize("how", ["random", "truncated"])
@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.ui", level=logging.WARNING)  # damage found is logged (kind only)
def test_restore_at_start_brings_the_data_back_and_keeps_the_damaged_file(
        qtbot, tmp_path, controllers, monkeypatch, caplog, how):
    data = tmp_path / "data"
    _seed(data)
    bk.backup_database(data)
    db = data / "radiculopathy.sqlite3"
    original = _damage(db, how)
    asked = []
    monkeypatch.setattr(recovery, "confirm_restore",
                        lambda parent, good, path, running: asked.append((good.path, path, running)) or True)
    dialogs = Dialogs(qtbot, lambda d: d.restore_button)
    controller = controllers(data, dialogs)
    assert controller.start() is None
    assert asked and asked[0][1] == db and asked[0][2] is False
    window = controller.window
    qtbot.waitExposed(window)
    assert controller.store.case_count() == 5
    kept = [p for p in (data / "backups").iterdir() if ".damaged-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == original
    assert "The damaged file was kept" in window.statusBar().currentMessage()
    assert str(kept[0]) in window.statusBar().currentMessage()


@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.ui", level=logging.WARNING)  # damage found is logged (kind only)
def test_cancelled_confirmation_changes_nothing(qtbot, tmp_path, controllers, monkeypatch, caplog):
    data = tmp_path / "data"
    _seed(data)
    bk.backup_database(data)
    db = data / "radiculopathy.sqlite3"
    original = _damage(db, "random")
    monkeypatch.setattr(recovery, "confirm_restore", lambda *a: False)

    def restore_then_quit(dialog):
        qtbot.mouseClick(dialog.restore_button, Qt.LeftButton)  # "Cancel" in the question
        assert dialog.isVisible() and dialog.choice is None
        return dialog.close_button

    controller = controllers(data, Dialogs(qtbot, restore_then_quit))
    assert controller.start() == 3
    assert db.read_bytes() == original


@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.ui", level=logging.WARNING)  # damage found is logged (kind only)
def test_no_good_backup_says_what_to_do(qtbot, tmp_path, controllers, caplog):
    data = tmp_path / "data"
    _seed(data)
    db = data / "radiculopathy.sqlite3"
    original = _damage(db, "random")
    dialogs = Dialogs(qtbot, lambda d: d.close_button)
    controller = controllers(data, dialogs)
    assert controller.start() == 3
    _, _, text, dialog = dialogs.seen[0]
    assert "There is no good backup to restore" in text
    assert "Do not delete or move the damaged file" in text and "Contact your IT support" in text
    assert str(db) in text
    assert dialog.restore_button.isHidden()
    assert db.read_bytes() == original


def test_a_newer_schema_is_not_offered_a_restore(qtbot, tmp_path, controllers):
    """Not damage: the plain explanation, and the file untouched."""
    import sqlite3

    from radiculopathy_desktop.storage import schema
    data = tmp_path / "data"
    _seed(data)
    db = data / "radiculopathy.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    dialogs = Dialogs(qtbot, lambda d: d.buttons.button(d.buttons.StandardButton.Close))
    controller = controllers(data, dialogs)
    assert controller.start() == 3
    kind, title, text, _ = dialogs.seen[0]
    assert kind == "ErrorDialog" and title == "The database is from a newer version"


# --------------------------------------------------------------------------- damage found while running
@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.ui", level=logging.WARNING)  # damage found is logged (kind only)
def test_quick_check_damage_stops_writes_and_restore_reopens(qtbot, tmp_path, controllers, monkeypatch, caplog):
    data = tmp_path / "data"
    _seed(data)
    bk.backup_database(data)
    with CaseStore.open(data) as s:  # entered after the backup: lost by the restore, kept in the damaged copy
        s.import_cases([parse_case(case_dict("P-LATE", "Lena Late", 30))], user="test")
    monkeypatch.setattr(bk, "check_database",
                        lambda data_dir, full=False: ("*** in database main ***", "Page 7: btreeInitPage() error"))
    monkeypatch.setattr(recovery, "confirm_restore", lambda *a: True)
    controller = controllers(data, Dialogs(qtbot))
    assert controller.start() is None
    window = controller.window
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: isinstance(controller.recovery_dialog, RecoveryDialog)
                    and controller.recovery_dialog.isVisible(), timeout=10000)
    dialog = controller.recovery_dialog
    assert dialog.running and "stopped saving changes" in dialog.what_label.text()
    assert "btreeInitPage" in dialog.problem_label.text()
    assert dialog.good is not None and dialog.good.case_count == 5
    assert controller.damage_widget.isVisible()
    assert controller.scheduler is None  # no backup of a damaged database
    from radiculopathy_desktop.storage.db import StorageError
    with pytest.raises(StorageError) as err:  # writes stopped
        controller.store.save_draft("probe", {"x": 1})
    assert err.value.kind == "read_only"
    assert "found damage" in caplog.text

    qtbot.mouseClick(dialog.restore_button, Qt.LeftButton)
    assert controller.pending_restore is not None
    assert not window.isVisible()
    assert controller.after_exec(0) is None  # the loop runs again on the restored database
    assert controller.window is not None and controller.window is not window
    assert controller.store.case_count() == 5 and not controller.store.has_case("P-LATE-case")
    kept = [p for p in (data / "backups").iterdir() if p.name.startswith("radiculopathy.sqlite3.damaged-")
            and not p.name.endswith(("-wal", "-shm"))]
    assert len(kept) == 1  # with its -wal and -shm beside it
    import sqlite3
    conn = sqlite3.connect(f"file:{kept[0]}?mode=ro", uri=True)  # the late case survives in the kept copy
    try:
        assert conn.execute("SELECT count(*) FROM cases WHERE case_id = 'P-LATE-case'").fetchone()[0] == 1
    finally:
        conn.close()
    assert "The damaged file was kept" in controller.window.statusBar().currentMessage()


@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.ui", level=logging.WARNING)  # damage found is logged (kind only)
def test_keep_open_read_only_and_reopen_the_dialog(qtbot, tmp_path, controllers, monkeypatch, caplog):
    data = tmp_path / "data"
    _seed(data)
    monkeypatch.setattr(bk, "check_database", lambda data_dir, full=False: ("row 12 missing from index cases",))
    controller = controllers(data, Dialogs(qtbot))
    controller.start()
    qtbot.waitUntil(lambda: controller.recovery_dialog is not None and controller.recovery_dialog.isVisible(),
                    timeout=10000)
    dialog = controller.recovery_dialog
    assert dialog.good is None and "There is no good backup" in dialog.backup_label.text()
    qtbot.mouseClick(dialog.close_button, Qt.LeftButton)
    assert dialog.choice == "keep_open" and not dialog.isVisible()
    assert controller.window.isVisible() and controller.pending_restore is None
    qtbot.mouseClick(controller.damage_button, Qt.LeftButton)
    qtbot.waitUntil(dialog.isVisible)
    qtbot.mouseClick(dialog.close_button, Qt.LeftButton)


@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.ui", level=logging.WARNING)  # damage found is logged (kind only)
def test_a_restore_from_the_backups_view_clears_the_damage_state(qtbot, tmp_path, controllers, monkeypatch,
                                                                  caplog):
    data = tmp_path / "data"
    _seed(data)
    good = bk.backup_database(data).path
    real_check = bk.check_database
    monkeypatch.setattr(bk, "check_database", lambda data_dir, full=False: ("row 3 missing from index",))
    controller = controllers(data, Dialogs(qtbot))
    controller.start()
    hub = controller.context.hub
    if not hasattr(hub, "store_replaced"):
        pytest.skip("this build has no in-window restore (EventHub.store_replaced)")
    qtbot.waitUntil(lambda: controller.recovery_dialog is not None and controller.recovery_dialog.isVisible(),
                    timeout=10000)
    monkeypatch.setattr(bk, "check_database", real_check)
    controller.context.store.close()  # what the Backups view does: close, restore, reopen, announce
    bk.restore(good, data)
    controller.context.store = CaseStore.open(data)
    hub.store_replaced.emit()
    assert controller.store is controller.context.store and not controller.damaged
    assert not controller.damage_widget.isVisible() and controller.recovery_dialog is None
    qtbot.waitUntil(lambda: controller.scheduler is not None, timeout=10000)  # checked again, then backed up
    controller.store.save_draft("probe", {"x": 1})  # writes work again


def test_recovery_dialog_shows_the_folder_when_it_cannot_be_opened(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(recovery, "open_folder", lambda folder: False)
    db = tmp_path / "radiculopathy.sqlite3"
    db.write_bytes(b"x" * 200)
    dialog = RecoveryDialog(db, "the file is not an SQLite database", None, tmp_path / "backups",
                            kind="not_a_database")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.folder_button, Qt.LeftButton)
    assert dialog.status_label.isVisible() and str(tmp_path) in dialog.status_label.text()
    assert dialog.windowTitle() == StorageErrorKind.NOT_A_DATABASE.label  # the one title table


def test_locked_by_another_program_says_so(qtbot, tmp_path, controllers, monkeypatch):
    import sqlite3
    data = tmp_path / "data"
    _seed(data)
    other = sqlite3.connect(data / "radiculopathy.sqlite3")
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    other.execute("INSERT INTO settings (key, value_json, updated_at) VALUES ('x', '1', 'now')")
    monkeypatch.setattr(app_module, "open_store", lambda d: CaseStore.open(d, busy_timeout_ms=100))
    dialogs = Dialogs(qtbot, lambda d: d.buttons.button(d.buttons.StandardButton.Close))
    try:
        controller = controllers(data, dialogs)
        assert controller.start() == 3
    finally:
        other.rollback()
        other.close()
    kind, title, text, dialog = dialogs.seen[0]
    assert isinstance(dialog, ErrorDialog) and title == "The database is busy"
    assert "No other Radiculopathy Desktop window has this data folder open" in text
    assert "Nothing was changed" in text
