"""Follow-up visits and decisions, as a clinician records them, and what they change."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from radiculopathy_desktop.ui import dialogs

from .conftest import TODAY
from .window_steps import worklist_status as _status


def _open(window, case_id):
    window.open_case(case_id)
    return window.patient_view


def test_follow_up_visit_changes_status(window, qtbot):
    assert _status(window, "P-NFU-case") == "Needs follow-up"
    patient = _open(window, "P-NFU-case")
    dialog = patient.add_visit()
    qtbot.waitExposed(dialog)
    for box, text in ((dialog.leg, "3"), (dialog.back, "2")):  # leg pain fell from 7 to 3: improving
        box.setFocus()
        box.selectAll()
        qtbot.keyClicks(box.lineEdit(), text)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert not dialog.isVisible()
    # the worklist updated at once: improving in the window is no longer awaiting a visit, and it is
    # not a failed conservative treatment either (NICE NG59 section 1.3, spinal decompression): improving, keep under review
    assert _status(window, "P-NFU-case") == "Improving: keep under review"
    assert "Follow-up visit" in [patient.timeline.table.item(r, 2).text()
                                 for r in range(patient.timeline.table.rowCount())]


def test_visit_dated_before_intake_is_refused_beside_the_field(window, qtbot):
    patient = _open(window, "P-NEW-case")
    dialog = patient.add_visit()
    dialog.date.set_day(TODAY.replace(year=2020))
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert dialog.isVisible()
    assert "before" in dialog.form.errors["visit.date"].text()
    dialog.close()


def test_decision_clears_red_flag(window, qtbot):
    assert _status(window, "P-RED-case") == "Immediate"
    patient = _open(window, "P-RED-case")
    dialog = patient.record_decision()
    qtbot.mouseClick(dialog.kind.buttons["referred_for_surgical_opinion"], Qt.LeftButton)
    qtbot.keyClicks(dialog.by, "Dr Test")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert not dialog.isVisible()
    assert _status(window, "P-RED-case") is None  # closed: off the worklist
    assert "Closed" in patient.status.text()


def test_store_failure_keeps_dialog_open_with_input(window, qtbot, monkeypatch):
    from radiculopathy_desktop.storage.db import StorageError
    shown = []
    monkeypatch.setattr(dialogs.ui_errors, "show_error", lambda parent, exc, kept_input=False: shown.append((exc, kept_input)))
    patient = _open(window, "P-DUE-case")
    dialog = patient.add_visit()
    dialog.leg.setFocus()
    dialog.leg.selectAll()
    qtbot.keyClicks(dialog.leg.lineEdit(), "5")

    def locked(*a, **k):
        raise StorageError("locked", "The database is busy.")
    monkeypatch.setattr(window.context.store, "add_visit", locked)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert dialog.isVisible() and dialog.leg.value() == 5
    assert shown and shown[0][1] is True
    dialog.close()


def test_error_dialog_plain_words_and_copy(qtbot):
    from PySide6.QtGui import QGuiApplication
    from radiculopathy_desktop.storage.db import StorageError
    from radiculopathy_desktop.ui.errors import ErrorDialog
    dialog = ErrorDialog(StorageError("disk_full", "The disk is full, so the change could not be saved."),
                         kept_input=True)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "The disk is full"
    assert "kept" in dialog.message_label.text()
    qtbot.mouseClick(dialog.copy_button, Qt.LeftButton)
    assert "StorageError" in QGuiApplication.clipboard().text()


def test_settings_change_moves_the_window(window, qtbot):
    assert _status(window, "P-DUE-case") == "Due"  # day 70 of a 42-84 window
    settings = window.show_view("settings")
    box = settings.fields["window_end_day"]
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "63")
    qtbot.mouseClick(settings.save_button, Qt.LeftButton)
    assert settings.saved_label.text().startswith("Saved")
    assert _status(window, "P-DUE-case") == "Overdue"  # day 70 is now past a 42-63 window


def test_invalid_settings_explained_beside_field(window, qtbot):
    settings = window.show_view("settings")
    settings.fields["window_start_day"].setValue(100)
    settings.fields["window_end_day"].setValue(50)
    qtbot.mouseClick(settings.save_button, Qt.LeftButton)
    assert "Review window closes" in settings.form.errors["window_end_day"].text()
    assert window.context.store.get_settings().window_end_day == 84


def test_timeline_chart_paints(window, qtbot):
    patient = _open(window, "P-DUE-case")
    patient.tabs.setCurrentIndex(1)
    chart = patient.timeline.chart
    chart.resize(600, 300)
    image = chart.grab()
    assert not image.isNull()
    assert "week 0" in chart.accessibleDescription()
