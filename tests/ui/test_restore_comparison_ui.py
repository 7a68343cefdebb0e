"""The window's restore confirmation names what the restore takes out of the tracker (rt11 F11):
the cases the backup lacks (Immediate first, with status) and whether the backup shares this
tracker's history, the same lines as the ``restore`` command. Driven with the mouse and keys."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage import backup as bk
from radiculopathy_desktop.storage.store import CaseStore

from .conftest import case_dict
from .test_backups_view import add_case, back_up_now, case_ids, click, errors, open_settings, select_row  # noqa: F401


def _foreign_backup(tmp_path, folder):
    """Another workstation's tracker (one case of its own), backed up into this tracker's backups folder."""
    with CaseStore.open(tmp_path / "other-workstation") as other:
        other.import_cases([parse_case(case_dict("P-ELSEWHERE", "Eli Elsewhere", 30))], user="other")
    return bk.backup_database(tmp_path / "other-workstation", to=folder).path


def test_restoring_another_trackers_backup_names_the_immediate_case_first_and_cancel_keeps_it(
        window, qtbot, tmp_path, errors):
    store = window.context.store
    foreign = _foreign_backup(tmp_path, store.data_dir / "backups")
    backups = open_settings(window, qtbot)
    backups.refresh()
    assert select_row(qtbot, backups, 0) == foreign
    click(qtbot, backups.restore_button)
    dialog = backups.confirm_dialog
    assert dialog is not None and dialog.isVisible()
    details = dialog.details_text()
    assert dialog.details.isVisible() and dialog.details.isReadOnly()
    assert "WARNING: this backup shares no history with this tracker" in details
    assert "Cases here that the backup does not have (5, 1 Immediate)" in details
    listed = [line for line in details.splitlines() if line.startswith("  P-")]
    assert listed[0].startswith("  P-RED-case (P-RED, Rory Redflag; 0 follow-up visits, 0 decisions): IMMEDIATE: ")
    assert "cauda equina" in listed[0].lower()
    assert len(listed) == 5
    # Cancel (the focused, safe answer) changes nothing
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.cancel_button, timeout=3000)
    qtbot.keyClick(dialog.cancel_button, Qt.Key_Escape)
    assert window.context.store is store
    assert "P-RED-case" in case_ids(store)
    assert errors == []


def test_restoring_an_earlier_copy_names_the_case_added_since_and_restores(window, qtbot, errors):
    backups = open_settings(window, qtbot)
    back_up_now(qtbot, backups)
    add_case(window.context, "P-LATE")
    select_row(qtbot, backups, 0)
    click(qtbot, backups.restore_button)
    details = backups.confirm_dialog.details_text()
    assert "shares no history" not in details
    assert "Cases here that the backup does not have (1)" in details
    assert "  P-LATE-case (P-LATE, Added Later; 0 follow-up visits, 0 decisions): " in details
    with qtbot.waitSignal(backups.restored, timeout=20000):
        click(qtbot, backups.confirm_dialog.action_button)
    assert "P-LATE-case" not in case_ids(window.context.store)
    assert errors == []
