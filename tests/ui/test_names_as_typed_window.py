"""The intake's medicine table reads names as clinicians type them and says what it read
(cmb17): a fraction slash, a regimen in the name with the dose field empty, a dose field that
disagrees with the name, an ambiguous "T3". Nothing typed is changed.

Sources (resources/medicines/sources.toml): NHS co-codamol for adults (at most 8 tablets in 24
hours; 500 mg paracetamol a tablet); the BNF's prescription abbreviations ("t.d.s. three times a
day", read in copies [unverified]); liothyronine labels ("triiodothyronine (T3, liothyronine)").
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QPushButton

from tests.ui.keyboard import focus
from tests.ui.test_combination_dose_window import _type_cell
from tests.ui.test_medicine_table import _open


def _clear_cell(qtbot, page, row, column):
    page.meds.setCurrentCell(row, column)
    page.meds.setFocus()
    qtbot.keyClick(page.meds, Qt.Key_F2)
    focus().selectAll()
    qtbot.keyClick(focus(), Qt.Key_Delete)
    qtbot.keyClick(focus(), Qt.Key_Return)


def _type_cell_unicode(qtbot, page, row, column, text):
    """As _type_cell, with characters beyond ASCII sent as the key events a keyboard layout or
    input method gives (QTest's keyClicks takes ASCII only)."""
    page.meds.setCurrentCell(row, column)
    page.meds.setFocus()
    qtbot.keyClick(page.meds, Qt.Key_F2)
    editor = focus()
    editor.selectAll()
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(editor, ch)
        else:
            for kind in (QEvent.KeyPress, QEvent.KeyRelease):
                QApplication.sendEvent(editor, QKeyEvent(kind, Qt.Key_unknown, Qt.NoModifier, ch))
    qtbot.keyClick(editor, Qt.Key_Return)


def _medicines_step(window, qtbot):
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    wiz = window.views["intake"]
    wiz._go(5)  # the "Conditions and medicines" step
    page = wiz.pages[5]
    qtbot.mouseClick(next(b for b in page.findChildren(QPushButton) if b.accessibleName() == "Add medicine row"),
                     Qt.LeftButton)
    return page


def test_the_intake_reads_a_regimen_typed_in_the_name_and_asks_when_the_dose_disagrees(window, qtbot):
    page = _medicines_step(window, qtbot)
    typed = "Co-codamol 30\u2044500 2 tablets four times a day"  # a fraction slash, as some keyboards give
    _type_cell_unicode(qtbot, page, 0, 0, typed)
    qtbot.waitUntil(lambda: "read from the name" in page.meds_combination.text())
    assert ("no daily dose recorded, read from the name (2 tablets four times a day) as 8 tablets a day of 30/500 "
            "(codeine 240 mg, acetaminophen 4000 mg a day)") in page.meds_combination.text()
    assert not page.meds_unknown.isVisible()  # recognised: it was NOT RECOGNISED before
    # a dose typed in the field that disagrees: both are named, the typed dose is kept
    _type_cell(qtbot, page, 0, 1, "360")
    qtbot.waitUntil(lambda: "Check the dose" in page.meds_combination.text())
    # the Review step's lines (intakemed): the recorded 360 mg is 12 tablets, 6000 mg of acetaminophen ("Reduce
    # dose", strongest first), and the question its table asks: the name and the dose disagree
    lines = page.meds_combination.text().split("\n")
    assert lines[0].startswith("Reduce dose: ") and "6000 mg/day of acetaminophen" in lines[0]
    assert any(line.startswith("Check the dose: ") and (
        "the name says 2 tablets four times a day (8 tablets a day: codeine 240 mg, acetaminophen 4000 mg a day) "
        "but the dose recorded is 360 mg a day (12 tablets a day of 30/500)") in line for line in lines)
    # the same daily dose typed: read as before, no question
    _type_cell(qtbot, page, 0, 1, "240")
    qtbot.waitUntil(lambda: "Check the dose" not in page.meds_combination.text())
    assert "recorded as 240 mg a day (mg of codeine), read as 8 tablets a day of 30/500" in page.meds_combination.text()
    # words in the dose field: the step says the dose must be a number; the name's regimen is
    # not silently used instead, and nothing typed is changed
    _type_cell(qtbot, page, 0, 1, "two")
    qtbot.waitUntil(lambda: page.meds.state() == QAbstractItemView.NoState)  # the edit is closed
    meds, problems = page.medicines()
    assert meds == [{"name": typed}] and page.meds.item(0, 1).text() == "two"
    assert [p.message for p in problems] == ["Row 1: the daily dose must be a number of mg"]
    # said at once (intakemed): the medicine is checked without a dose until the dose is a number
    qtbot.waitUntil(lambda: "Dose not read: Row 1: the daily dose must be a number of mg (“two” is not)"
                    in page.meds_combination.text())
    _clear_cell(qtbot, page, 0, 1)
    qtbot.waitUntil(lambda: "Dose not read" not in page.meds_combination.text())
    assert "read from the name" in page.meds_combination.text()
    assert page.medicines() == ([{"name": typed}], [])


def test_a_single_medicine_regimen_an_ambiguous_one_and_t3(window, qtbot):
    page = _medicines_step(window, qtbot)
    _type_cell(qtbot, page, 0, 0, "ibuprofen 400mg TDS")
    qtbot.waitUntil(lambda: "read from the name" in page.meds_combination.text())
    assert "read from the name (tds) as 3 doses a day of 400 mg (ibuprofen 1200 mg a day)" in \
        page.meds_combination.text()
    _type_cell(qtbot, page, 0, 0, "co-codamol 30/500 1-2 tablets qds")
    qtbot.waitUntil(lambda: "range of tablets" in page.meds_combination.text())
    assert page.meds_combination.text().startswith("Check the dose")
    assert "type the daily dose in the dose field" in page.meds_combination.text()
    _type_cell(qtbot, page, 0, 0, "T3")
    qtbot.waitUntil(lambda: page.meds_unknown.isVisible())
    assert "liothyronine" in page.meds_unknown.text() and "tylenol #3" in page.meds_unknown.text()
    assert page.medicines() == ([{"name": "T3"}], [])


def test_the_patient_page_says_the_dose_was_read_from_the_name(window, qtbot, store):
    text = _open(window, qtbot, store, [{"name": "co-codamol 30/500 3 tablets tds"}])
    assert "no dose recorded; read from the name (3 tablets tds) as 9 tablets a day of 30/500" in text
    assert "4500 mg/day of acetaminophen" in text or "acetaminophen 4500 mg" in text
