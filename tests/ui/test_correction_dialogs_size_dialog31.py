"""Edit medicines / Edit conditions: their size, their "Not saved" list and their Patient-menu
keys (dialog31; H-UI-511, H-UI-513).

GP tryout 31 (D8): Alt+M opened Edit medicines at ~270 px wide, later 362x548: two or three rows
showed, the dose header was cut, and the red "Not saved" box stopped after row 7 and would not
scroll. medfix/medfix2: the two dialogs had no Patient-menu item or key, only case-page buttons.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.ui import dialog_size
from radiculopathy_desktop.ui.conditions_dialog import EditConditionsDialog
from radiculopathy_desktop.ui.medicines_dialog import EditMedicinesDialog

from .window_steps import window_active
from .test_edit_medicines_medfix import CASE, _gone, _rows, _seed, _type_row
from .test_pregnancy_intake import key


def _open_by_menu_key(window, qtbot, letter, kind):
    window.open_case(CASE)
    page = window.patient_view
    qtbot.waitUntil(lambda: page.case_id == CASE and page.isVisible())
    window_active(qtbot, window)
    key(qtbot, letter, Qt.ControlModifier | Qt.ShiftModifier)
    qtbot.waitUntil(lambda: any(isinstance(w, kind) and w.isVisible() for w in QApplication.topLevelWidgets()))
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible())
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def _room(dialog):
    return dialog_size.available(dialog)


def test_ctrl_shift_m_opens_edit_medicines_sized_from_the_screen_with_rows_and_header_whole(window, qtbot, store):
    _seed(store)
    assert not window.edit_medicines_action.isEnabled()  # no case open: nothing to edit
    dialog = _open_by_menu_key(window, qtbot, Qt.Key_M, EditMedicinesDialog)
    assert window.edit_medicines_action.isEnabled() and window.edit_medicines_action.text() == "Edit &medicines…"
    room = _room(dialog)
    # at least half the screen's width (up to 1000 px) and three quarters of its height, never beyond it
    assert dialog.width() >= min(int(room.width() * 0.5), 1000) and dialog.height() >= int(room.height() * 0.75)
    assert dialog.width() <= room.width() and dialog.height() <= room.height()
    assert dialog.width() > 362 and dialog.height() > 548 or room.height() < 731  # bigger than the tryout's
    # the dose column's header is read whole, and more than three rows fit in the table
    header = dialog.meds.horizontalHeader()
    words = dialog.meds.horizontalHeaderItem(1).text()
    assert header.sectionSize(1) >= header.fontMetrics().horizontalAdvance(words)
    assert dialog.meds.viewport().height() >= 5 * dialog.meds.verticalHeader().defaultSectionSize()
    key(qtbot, Qt.Key_Escape)
    qtbot.waitUntil(lambda: _gone(dialog))


def test_ten_bad_rows_are_each_said_on_a_line_in_a_box_that_scrolls(window, qtbot, store):
    _seed(store)
    dialog = _open_by_menu_key(window, qtbot, Qt.Key_M, EditMedicinesDialog)
    dialog.meds.setFocus()
    bad = ["0", "999999", "abc", "-5", "nan", "500,5", "500 mg bd", "0", "abc", "-1"]
    for dose in bad:
        _type_row(qtbot, dialog, "naproxen", dose)
    before = _rows(dialog)
    dialog.meds.setFocus()
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    assert dialog.isVisible() and _rows(dialog) == before  # nothing saved, nothing typed lost
    lines = dialog.error.text().splitlines()
    assert lines[0].endswith("Not saved:")
    for n in range(3, 3 + len(bad)):  # the two seeded rows, then the ten typed
        assert sum(f"Row {n}" in line for line in lines) == 1, (n, lines)
    assert ".;" not in dialog.error.text() and ".." not in dialog.error.text()
    area = dialog.error.area
    assert area.isVisible() and area.maximumHeight() <= max(_room(dialog).height() // 3,
                                                            dialog.error.fontMetrics().height() * 4)
    # every line can be brought into view: the box holds it all or scrolls to the end of it
    qtbot.waitUntil(lambda: area.widget().height() <= area.viewport().height()
                    or area.verticalScrollBar().maximum() >= area.widget().height() - area.viewport().height())
    area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
    bottom = area.widget().mapTo(area.viewport(), area.widget().rect().bottomLeft()).y()
    assert bottom <= area.viewport().height() + 1  # the last row's line is on screen
    assert dialog.frameGeometry().height() <= _room(dialog).height() + 40  # the dialog still fits the screen
    dialog.done(0)


@pytest.mark.parametrize("letter, kind, other", [(Qt.Key_M, EditMedicinesDialog, EditConditionsDialog),
                                                  (Qt.Key_C, EditConditionsDialog, EditMedicinesDialog)],
                         ids=["medicines", "conditions"])
def test_the_size_the_user_gave_is_kept_for_the_next_opening(window, qtbot, store, letter, kind, other):
    from PySide6.QtCore import QSettings
    _seed(store)
    dialog = _open_by_menu_key(window, qtbot, letter, kind)
    room = _room(dialog)
    chosen = QSize(min(room.width(), dialog.width() + 37), min(room.height(), dialog.height()) - 21)
    dialog.resize(chosen)
    key(qtbot, Qt.Key_Escape)
    qtbot.waitUntil(lambda: _gone(dialog))
    again = _open_by_menu_key(window, qtbot, letter, kind)
    assert again.size() == chosen
    key(qtbot, Qt.Key_Escape)
    qtbot.waitUntil(lambda: _gone(again))
    assert QSettings().value(f"dialogs/{other.KIND}/size") is None  # each dialog's size under its own name


def test_ctrl_shift_c_opens_edit_conditions_sized_and_its_problems_listed(window, qtbot, store):
    _seed(store)
    dialog = _open_by_menu_key(window, qtbot, Qt.Key_C, EditConditionsDialog)
    room = _room(dialog)
    assert dialog.width() >= min(int(room.width() * 0.5), 1000) and dialog.height() >= int(room.height() * 0.75)
    assert dialog.width() <= room.width() and dialog.height() <= room.height()
    assert window.edit_conditions_action.text() == "Edit &conditions…"
    dialog.egfr.setFocus()
    dialog.egfr.selectAll()
    qtbot.keyClicks(dialog.egfr, "250")
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    assert dialog.isVisible() and dialog.error.area.isVisible()
    assert dialog.error.text().splitlines()[0].endswith("Not saved:") and len(dialog.error.text().splitlines()) >= 2
    dialog.done(0)


def test_the_visit_dialog_names_the_day_the_list_was_corrected_and_points_to_the_editors(window, qtbot, store):
    """GP tryout 31 (D10; H-UI-514): medicines added today in Edit medicines were listed in the
    visit dialog as "recorded at the intake on" the intake's day, and the note sent every change
    to the visit's notes, which the medicine checks never read."""
    import datetime as dt

    from radiculopathy_desktop.domain.vocabulary import clinic_date
    from radiculopathy_desktop.ui.dialogs import VisitDialog

    _seed(store)
    intake_day = store.get_case(CASE).intake.visit_date
    window.open_case(CASE)
    page = window.patient_view
    qtbot.waitUntil(lambda: page.case_id == CASE and page.isVisible())
    window_active(qtbot, window)
    key(qtbot, Qt.Key_V, Qt.ControlModifier | Qt.ShiftModifier)  # never corrected: the intake's day only
    visit = page.findChild(VisitDialog)
    qtbot.waitUntil(lambda: visit is not None and visit.isVisible())
    assert visit.medicines_box.title() == f"Medicines recorded at the intake on {clinic_date(intake_day)} (read-only)"
    note = " ".join(label.text() for label in visit.medicines_box.findChildren(type(visit.medicines_label)))
    assert "Edit medicines (Ctrl+Shift+M)" in note and "Edit conditions (Ctrl+Shift+C)" in note
    visit.discard()
    qtbot.waitUntil(lambda: not visit.isVisible())
    editor = _open_by_menu_key(window, qtbot, Qt.Key_M, EditMedicinesDialog)
    _type_row(qtbot, editor, "apixaban", "10")
    editor.meds.setFocus()
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: _gone(editor))
    saved_at = dt.datetime.fromisoformat(store.audit(CASE, newest_first=True)[0].at.replace("Z", "+00:00"))
    saved_day = (saved_at.replace(tzinfo=dt.timezone.utc) if saved_at.tzinfo is None else saved_at).astimezone().date()
    window_active(qtbot, window)
    key(qtbot, Qt.Key_V, Qt.ControlModifier | Qt.ShiftModifier)
    visit = next(d for d in page.findChildren(VisitDialog) if d.isVisible())
    heading = (f"Medicines recorded at the intake on {clinic_date(intake_day)}, last corrected in Edit medicines "
               f"on {clinic_date(saved_day)}")
    assert visit.medicines_box.title() == heading + " (read-only)"
    assert "apixaban" in visit.medicines_label.text()
    assert visit.medicines_label.accessibleName().startswith(heading + ": ")
    visit.discard()


def test_another_case_opened_from_the_worklist_opens_at_its_top_details_folded(window, qtbot):
    """GP tryout 31 (D12; H-UI-515): Rae opened scrolled to step 2's details, the previous case's
    position, with the red-flag triage off screen."""
    view = window.views["worklist"]
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(2, 0))
    qtbot.keyClick(view.table, Qt.Key_Return)
    page = window.patient_view
    first = page.case_id
    qtbot.waitUntil(lambda: page.isVisible() and page.case is not None)
    page.pathway.set_details_open(True)  # "Show the details of every step"
    bar = page.pathway.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    assert bar.value() > 0
    page.setFocus()
    key(qtbot, Qt.Key_Escape)  # back to the worklist
    qtbot.waitUntil(lambda: window.stack.currentWidget() is view)
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(0, 0))  # another patient's row
    qtbot.keyClick(view.table, Qt.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is page and page.case_id != first)
    assert page.pathway.verticalScrollBar().value() == 0 and not page.pathway.details_open
    assert "Show the details of every step" in page.pathway.toPlainText()
