"""Tab through the intake's medicine table as a GP types a list (gp17 F2): Tab after the last
row's dose leaves the table; it must never open row 1's name with its text selected, so that
the next medicine typed replaces the first ("ibuprofen 1200" became "naproxen 1200")."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QPushButton

from tests.ui.keyboard import focus


def _type(qtbot, text):
    for ch in text:
        qtbot.keyClicks(focus(), ch)


def _medicines_step(window, qtbot):
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    wiz = window.views["intake"]
    wiz._go(5)  # the "Conditions and medicines" step
    return wiz.pages[5]


def _add(qtbot, page, name, dose):
    qtbot.keyClick(focus(), Qt.Key_M, Qt.AltModifier)  # Add medicine
    qtbot.waitUntil(lambda: focus() is page.meds)
    _type(qtbot, name)
    qtbot.keyClick(focus(), Qt.Key_Tab)
    _type(qtbot, dose)
    qtbot.keyClick(focus(), Qt.Key_Tab)


def test_tab_after_the_last_dose_leaves_the_table_and_keeps_every_row(window, qtbot):
    page = _medicines_step(window, qtbot)
    _add(qtbot, page, "ibuprofen", "1200")
    add_button = next(b for b in page.findChildren(QPushButton) if b.accessibleName() == "Add medicine row")
    assert focus() is add_button  # out of the table, to "Add medicine"
    assert page.meds.state() == QAbstractItemView.NoState  # no editor open on row 1
    _add(qtbot, page, "omeprazole", "20")
    assert focus() is add_button
    _type(qtbot, "naproxen")  # typed by habit: lands on no row
    rows = [(page.meds.item(r, 0).text(), page.meds.item(r, 1).text()) for r in range(page.meds.rowCount())]
    assert rows == [("ibuprofen", "1200"), ("omeprazole", "20")]


def test_tab_inside_the_table_still_moves_from_name_to_dose_and_on_to_the_next_row(window, qtbot):
    page = _medicines_step(window, qtbot)
    _add(qtbot, page, "ibuprofen", "1200")
    _add(qtbot, page, "omeprazole", "20")
    page.meds.setCurrentCell(0, 0)
    page.meds.setFocus()
    qtbot.keyClick(page.meds, Qt.Key_F2)
    qtbot.keyClick(focus(), Qt.Key_Tab)  # name -> dose of row 1
    assert page.meds.currentRow() == 0 and page.meds.currentColumn() == 1
    qtbot.keyClick(focus(), Qt.Key_Tab)  # -> row 2's name
    assert page.meds.currentRow() == 1 and page.meds.currentColumn() == 0
    qtbot.keyClick(focus(), Qt.Key_Escape)


def test_shift_tab_from_the_first_cell_leaves_the_table_backwards(window, qtbot):
    page = _medicines_step(window, qtbot)
    _add(qtbot, page, "ibuprofen", "1200")
    page.meds.setCurrentCell(0, 0)
    page.meds.setFocus()
    qtbot.keyClick(page.meds, Qt.Key_F2)
    qtbot.keyClick(focus(), Qt.Key_Backtab, Qt.ShiftModifier)
    assert focus() is not page.meds and not page.meds.isAncestorOf(focus())
    assert page.meds.item(0, 0).text() == "ibuprofen"
