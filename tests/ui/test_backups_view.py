"""Data and backups in Settings (issue 7): back up now, the number to keep, restore with
confirmation, undo, and what happens when a restore cannot be done. Driven as a clinician
would, with the keyboard and the mouse; no dialog blocks."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage import backup as bk
from radiculopathy_desktop.storage import backup_settings as bs
from radiculopathy_desktop.storage.store import CaseStore
from radiculopathy_desktop.ui import backups_view, worklist as worklist_module

from .conftest import case_dict


@pytest.fixture
def errors(monkeypatch):
    """Errors the views would show (recorded instead of opening a dialog)."""
    shown: list[tuple[BaseException, str]] = []

    def record(parent, exc, kept_input=False):
        from radiculopathy_desktop.ui.errors import describe
        shown.append((exc, describe(exc)[1]))

    monkeypatch.setattr(backups_view.ui_errors, "show_error", record)
    return shown


def open_settings(window, qtbot):
    qtbot.keyClick(window, Qt.Key_5, Qt.ControlModifier)
    view = window.views["settings"]
    assert window.stack.currentWidget() is view
    return view.backups


def click(qtbot, button):
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.LeftButton)


def back_up_now(qtbot, backups) -> None:
    with qtbot.waitSignal(backups.backup_finished, timeout=20000) as blocker:
        click(qtbot, backups.backup_button)
    assert blocker.args == [True], backups.status.text()
    backups.wait_for_worker()


def select_row(qtbot, backups, row: int) -> Path:
    rect = backups.table.visualRect(backups.table.model().index(row, 0))
    qtbot.mouseClick(backups.table.viewport(), Qt.LeftButton, pos=rect.center())
    path = backups.selected_backup()
    assert path is not None
    return path


def case_ids(store) -> list[str]:
    return sorted(c.case_id for c in store.iter_cases())


def add_case(context, pid: str) -> None:
    context.store.import_cases([parse_case(case_dict(pid, "Added Later", 60))], user="test")
    context.hub.cases_changed.emit()


def test_back_up_now_lists_a_checked_private_backup(window, qtbot, errors):
    backups = open_settings(window, qtbot)
    data_dir = window.context.store.data_dir
    assert backups.data_folder.text() == str(data_dir)
    assert backups.backup_folder.text() == str(data_dir / "backups")
    assert backups.data_folder.isReadOnly() and backups.backup_folder.isReadOnly()
    assert backups.table.rowCount() == 0
    assert not backups.restore_button.isEnabled() and not backups.undo_button.isEnabled()

    back_up_now(qtbot, backups)
    assert errors == []
    files = bk.list_backups(data_dir / "backups")
    assert len(files) == 1
    assert stat.S_IMODE(os.stat(files[0]).st_mode) == 0o600
    assert bk.validate_backup(files[0]) is None
    assert backups.table.rowCount() == 1
    row = [backups.table.item(0, c).text() for c in range(4)]
    assert row[0] == backups_view.when_text(bs.backup_time(files[0]))
    assert row[1] == backups_view.REASON_MANUAL
    assert row[2].endswith("KB")
    assert row[3].startswith("sound")
    assert "checked (integrity: ok)" in backups.status.text()
    assert backups.selected_backup() == files[0]  # the new backup is selected, ready to restore
    assert backups.restore_button.isEnabled()


def test_back_up_now_runs_off_the_gui_thread(window, qtbot, monkeypatch, errors):
    import threading
    seen = []
    real = bk.backup_database

    def spy(*args, **kwargs):
        seen.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(bk, "backup_database", spy)
    backups = open_settings(window, qtbot)
    back_up_now(qtbot, backups)
    assert seen == [False]


def test_failed_backup_is_reported_in_words(window, qtbot, monkeypatch, errors):
    from radiculopathy_desktop.storage.db import StorageError

    def full(*args, **kwargs):
        raise StorageError("disk_full", "The disk is full, so the change could not be saved. Free some space and "
                                        "try again.")

    monkeypatch.setattr(bk, "backup_database", full)
    backups = open_settings(window, qtbot)
    with qtbot.waitSignal(backups.backup_finished, timeout=20000) as blocker:
        click(qtbot, backups.backup_button)
    backups.wait_for_worker()
    assert blocker.args == [False]
    assert "The backup failed" in backups.status.text() and "Free some space" in backups.status.text()
    assert len(errors) == 1 and "disk is full" in errors[0][1]
    assert backups.backup_button.isEnabled()  # ready to try again


def test_number_to_keep_is_saved_audited_and_prunes(window, qtbot, errors):
    backups = open_settings(window, qtbot)
    settings = window.views["settings"]
    assert backups.keep.value() == bk.DEFAULT_KEEP
    backups.keep.setFocus()
    backups.keep.selectAll()
    qtbot.keyClicks(backups.keep, "2")
    click(qtbot, settings.save_button)
    store = window.context.store
    assert bs.get_backup_keep(store) == 2
    audit = [a for a in store.audit() if a.action == "settings_changed"]
    assert audit[-1].detail == {bs.KEEP_KEY: [None, 2]}
    assert "Saved" in settings.saved_label.text()

    for _ in range(3):
        back_up_now(qtbot, backups)
    assert len(bk.list_backups(store.data_dir / "backups")) == 2
    assert backups.table.rowCount() == 2
    assert "older backup beyond the number to keep removed" in backups.status.text()

    # Revert shows the stored value again
    backups.keep.setValue(9)
    click(qtbot, settings.revert_button)
    assert backups.keep.value() == 2


def _make_backup_then_change(window, qtbot):
    backups = open_settings(window, qtbot)
    back_up_now(qtbot, backups)
    backup_file = bk.list_backups(window.context.store.data_dir / "backups")[-1]
    add_case(window.context, "P-LATE")
    assert "P-LATE-case" in case_ids(window.context.store)
    return backups, backup_file


def test_restore_asks_first_and_cancel_changes_nothing(window, qtbot, errors):
    backups, backup_file = _make_backup_then_change(window, qtbot)
    store = window.context.store
    assert select_row(qtbot, backups, 0) == backup_file
    click(qtbot, backups.restore_button)
    dialog = backups.confirm_dialog
    assert dialog is not None and dialog.isVisible()
    text = dialog.text()
    when = backups_view.when_text(bs.backup_time(backup_file))
    assert f"replaced by the backup from {when}" in text
    assert "safety backup of the current data is made" in text
    assert "only in that safety backup" in text
    assert "Undo last restore" in text
    # the safe answer has the focus: Enter or Space on the question changes nothing
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.cancel_button, timeout=3000)
    qtbot.keyClick(dialog.cancel_button, Qt.Key_Escape)
    assert window.context.store is store
    assert "P-LATE-case" in case_ids(store)
    assert len(bk.list_backups(store.data_dir / "backups")) == 1  # not even a safety backup
    assert errors == []


def test_restore_replaces_the_data_and_undo_puts_it_back(window, qtbot, errors, monkeypatch):
    monkeypatch.setattr(worklist_module, "show_error", lambda *a, **k: None)  # see the worklist test below
    backups, backup_file = _make_backup_then_change(window, qtbot)
    old = window.context.store
    hub = window.context.hub
    select_row(qtbot, backups, 0)
    click(qtbot, backups.restore_button)
    with qtbot.waitSignals([hub.store_replaced, hub.cases_changed, hub.settings_changed, backups.restored],
                           order="strict", timeout=20000):
        click(qtbot, backups.confirm_dialog.action_button)
    assert errors == []
    new = window.context.store
    assert new is not old
    assert "P-LATE-case" not in case_ids(new)
    assert new.integrity_check() == ["ok"]
    # the old connection was closed (a restore refuses a database that is open)
    with pytest.raises(Exception):
        old.case_count()
    last = bs.last_restore(new.data_dir / "backups")
    assert last is not None and last.restored_from == backup_file.name
    assert last.safety_backup.name in backups.status.text()
    assert "Undo last restore" in backups.status.text()
    reasons = [backups.table.item(r, 1).text() for r in range(backups.table.rowCount())]
    assert any(r.startswith("safety copy before restoring the backup of") for r in reasons)
    # The restored database's audit says so, with the window's user.
    restored = new._db.conn.execute(
        "SELECT user, detail_json FROM audit WHERE action = 'database_restored' ORDER BY id DESC").fetchone()
    assert restored is not None and restored[0] == window.context.user
    assert f'"restored_from":"{backup_file.name}"' in restored[1]

    # The safety backup holds the data entered after the backup; undo brings it back.
    assert backups.undo_button.isEnabled()
    click(qtbot, backups.undo_button)
    text = backups.confirm_dialog.text()
    assert last.safety_backup.name in text and "put back as it was just before the restore" in text
    with qtbot.waitSignal(backups.restored, timeout=20000):
        qtbot.mouseClick(backups.confirm_dialog.action_button, Qt.LeftButton)
    assert "P-LATE-case" in case_ids(window.context.store)
    assert bs.last_restore(new.data_dir / "backups") is None
    assert not backups.undo_button.isEnabled()
    assert "undone" in backups.status.text()
    assert errors == []


def test_worklist_shows_the_restored_data(window, qtbot, errors, monkeypatch):
    shown = []
    monkeypatch.setattr(worklist_module, "show_error", lambda parent, exc, **k: shown.append(exc))
    backups, _backup_file = _make_backup_then_change(window, qtbot)
    worklist = window.views["worklist"]
    worklist.set_status_filter("worklist")
    assert "P-LATE-case" in [r.case_id for r in worklist.model.rows]
    select_row(qtbot, backups, 0)
    click(qtbot, backups.restore_button)
    with qtbot.waitSignal(backups.restored, timeout=20000):
        click(qtbot, backups.confirm_dialog.action_button)
    assert worklist.model.store is window.context.store  # the model follows the restored store
    window.show_view("worklist")
    assert shown == []
    ids = [r.case_id for r in worklist.model.rows]
    assert "P-LATE-case" not in ids and "P-DUE-case" in ids


def test_damaged_backup_is_refused_before_anything_is_closed(window, qtbot, errors):
    backups = open_settings(window, qtbot)
    folder = window.context.store.data_dir / "backups"
    folder.mkdir(mode=0o700)
    bad = folder / "radiculopathy-20260101-090000.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + os.urandom(4000))
    store = window.context.store
    before = case_ids(store)
    backups.refresh()
    assert select_row(qtbot, backups, 0) == bad

    with qtbot.waitSignal(backups.check_finished, timeout=20000) as blocker:
        click(qtbot, backups.check_button)
    backups.wait_for_worker()
    assert blocker.args == [False]
    assert backups.table.item(0, 3).text().startswith("damaged")
    assert "cannot be used" in backups.status.text()

    click(qtbot, backups.restore_button)
    with qtbot.waitSignal(backups.restore_failed, timeout=20000):
        click(qtbot, backups.confirm_dialog.action_button)
    assert window.context.store is store  # never closed
    assert case_ids(store) == before
    assert len(errors) == 1 and "cannot be restored" in errors[0][1] and "Nothing was changed" in errors[0][1]
    assert bk.list_backups(folder) == [bad]  # no safety backup for a refused file


def test_restore_refused_while_open_elsewhere_reopens_the_original(window, qtbot, errors, monkeypatch):
    monkeypatch.setattr(worklist_module, "show_error", lambda *a, **k: None)
    backups, _backup_file = _make_backup_then_change(window, qtbot)
    data_dir = window.context.store.data_dir
    before = case_ids(window.context.store)
    select_row(qtbot, backups, 0)
    with CaseStore.open(data_dir) as other_window:  # e.g. a second window on the same database
        other_window.case_count()
        click(qtbot, backups.restore_button)
        with qtbot.waitSignal(backups.restore_failed, timeout=30000):
            click(qtbot, backups.confirm_dialog.action_button)
    assert len(errors) == 1
    message = errors[0][1]
    assert "The backup was not restored" in message
    assert "opened again as it was before: nothing was lost" in message
    assert getattr(errors[0][0], "kind", None) == "locked"
    store = window.context.store
    assert case_ids(store) == before  # the window works on the same data
    store.import_cases([parse_case(case_dict("P-AFTER", "After Failure", 30))], user="test")
    assert "P-AFTER-case" in case_ids(store)
    assert bs.last_restore(data_dir / "backups") is None
    assert not backups.undo_button.isEnabled()
    reasons = {backups.table.item(r, 1).text() for r in range(backups.table.rowCount())}
    # Refused before anything was written: not even a safety copy (the other store holds the in-use lock).
    assert reasons == {backups_view.REASON_MANUAL}


def test_backups_section_is_keyboard_reachable_and_named(window, qtbot, errors):
    backups = open_settings(window, qtbot)
    back_up_now(qtbot, backups)
    controls = [backups.data_folder, backups.backup_folder, backups.keep, backups.table, backups.backup_button,
                backups.check_button, backups.restore_button]
    for widget in controls:
        assert widget.accessibleName().strip(), widget
        assert widget.focusPolicy() & Qt.TabFocus, widget
    # In the list: Space selects a backup, Tab reaches "Restore…", Space asks; Escape answers "no"
    backups.table.clearSelection()
    assert not backups.restore_button.isEnabled()
    backups.table.setFocus()
    qtbot.keyClick(backups.table, Qt.Key_Space)
    assert backups.selected_backup() is not None
    for _ in range(10):
        if QApplication.focusWidget() is backups.restore_button:
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
    assert QApplication.focusWidget() is backups.restore_button
    qtbot.keyClick(backups.restore_button, Qt.Key_Space)
    dialog = backups.confirm_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.action_button.accessibleName() == "Restore the backup"
    qtbot.keyClick(dialog, Qt.Key_Escape)
    assert backups.confirm_dialog is None or not backups.confirm_dialog.isVisible()


def test_an_open_patient_missing_from_the_restored_backup_and_search_results_follow_the_restore(
        window, qtbot, errors, monkeypatch):
    from radiculopathy_desktop.ui import patient_view as patient_view_module
    from radiculopathy_desktop.ui import patients as patients_module

    shown = []
    monkeypatch.setattr(patient_view_module, "show_error", lambda parent, exc, **k: shown.append(exc))
    monkeypatch.setattr(patients_module, "show_error", lambda parent, exc, **k: shown.append(exc))
    backups, _backup_file = _make_backup_then_change(window, qtbot)
    # The clinician searched for and opened the patient added after the backup ...
    window.show_view("patients")
    patients = window.views["patients"]
    qtbot.keyClicks(patients.search_box, "Added Later")
    qtbot.keyClick(patients.search_box, Qt.Key_Return)
    assert patients.table.rowCount() == 1
    window.open_case("P-LATE-case")
    assert window.patient_view.case_id == "P-LATE-case"
    # ... then went to Settings and restored the backup, which does not have that patient.
    backups = open_settings(window, qtbot)
    select_row(qtbot, backups, 0)
    click(qtbot, backups.restore_button)
    with qtbot.waitSignal(backups.restored, timeout=20000):
        click(qtbot, backups.confirm_dialog.action_button)
    assert shown == []  # no "there is no case" message for a patient the backup never had
    assert window.patient_view.case_id is None
    assert window.stack.currentWidget() is window.views["settings"]  # not thrown out of Settings
    assert patients.table.rowCount() == 0  # the search shows what the restored database holds
