"""Alt+M and typing a medicine on the intake's step 6, as a GP does (gp17 F10).

Before: Alt+M added a row below the conditions, out of sight, and typing "ibuprofen 400mg
tds" into it showed "⚠ “i” was not typed: the focus is on “i”..." although the letter opened
the cell editor and was typed; the warning stayed for the step. The warning is for a key that
is really lost (the focus on a tick box or a button): that stays.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox, QPushButton

from tests.ui.keyboard import focus


def _type(qtbot, text):
    for ch in text:  # each key to whatever has the focus, as the keyboard sends it
        qtbot.keyClicks(focus(), ch)


def _medicines_step(window, qtbot):
    window.resize(1000, 620)  # a laptop screen: the medicine table is below the conditions
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    wiz = window.views["intake"]
    wiz._go(wiz.page_index["conditions"])
    page = wiz.page("conditions")
    qtbot.waitUntil(page.isVisible)
    return wiz, page


def _cell_in_view(page, row) -> bool:
    """Whether ``row``'s name cell is inside the visible part of the table and of the page."""
    item = page.meds.item(row, 0)
    cell = page.meds.visualItemRect(item)
    if not page.meds.viewport().rect().contains(cell):
        return False
    top = page.meds.viewport().mapTo(page.viewport(), cell.topLeft())
    bottom = page.meds.viewport().mapTo(page.viewport(), cell.bottomRight())
    return page.viewport().rect().contains(top) and page.viewport().rect().contains(bottom)


def test_alt_m_scrolls_the_new_row_into_view_with_the_focus_in_its_name(window, qtbot):
    wiz, page = _medicines_step(window, qtbot)
    page.flags[next(iter(page.flags))].setFocus()  # the first condition, at the top of the step
    page.verticalScrollBar().setValue(0)
    assert page.verticalScrollBar().maximum() > 0, "the step is taller than the window"
    for n, name in enumerate(["ibuprofen 400mg tds", "omeprazole 20mg od", "co-codamol 30/500 2 tablets qds",
                              "betnesol", "amitriptyline 10mg nocte", "sertraline 50mg", "ramipril 5mg",
                              "atorvastatin 20mg", "metformin 500mg bd"]):
        qtbot.keyClick(focus(), Qt.Key_M, Qt.AltModifier)
        qtbot.waitUntil(lambda: focus() is page.meds)
        assert (page.meds.currentRow(), page.meds.currentColumn()) == (n, 0)
        qtbot.waitUntil(lambda: _cell_in_view(page, n))
        _type(qtbot, name)
        qtbot.keyClick(focus(), Qt.Key_Return)  # the name is in (the editor commits once back in the loop)
        qtbot.waitUntil(lambda: page.meds.item(n, 0).text() == name)
        page.verticalScrollBar().setValue(0)  # the GP scrolls back up to check a condition
    assert wiz.page_error.text() == ""


def test_a_letter_that_opens_the_cell_editor_is_not_said_to_be_lost(window, qtbot):
    wiz, page = _medicines_step(window, qtbot)
    qtbot.keyClick(focus(), Qt.Key_M, Qt.AltModifier)
    qtbot.waitUntil(lambda: focus() is page.meds)
    _type(qtbot, "ibuprofen 400mg tds")
    assert page.meds.item(0, 0) is not None
    qtbot.keyClick(focus(), Qt.Key_Tab)
    assert page.meds.item(0, 0).text() == "ibuprofen 400mg tds"
    assert "was not typed" not in wiz.page_error.text()
    assert not wiz.page_error.isVisible()
    _type(qtbot, "1200")  # the dose cell: its first digit opens its editor too
    qtbot.keyClick(focus(), Qt.Key_Return)
    qtbot.waitUntil(lambda: page.meds.item(0, 1).text() == "1200")
    assert "was not typed" not in wiz.page_error.text()


def test_a_letter_typed_on_a_tick_box_or_a_button_is_still_said_to_be_lost(window, qtbot):
    wiz, page = _medicines_step(window, qtbot)
    box = next(b for b in page.findChildren(QCheckBox) if b.accessibleName().startswith("Already tried: NSAID"))
    box.setFocus()
    qtbot.keyClicks(box, "n")
    said = wiz.page_error.text()
    assert "“n” was not typed" in said and "Already tried: NSAID" in said and "step 6" in said
    add = next(b for b in page.findChildren(QPushButton) if b.accessibleName() == "Add medicine row")
    add.setFocus()
    qtbot.keyClicks(add, "i")
    assert "“i” was not typed" in wiz.page_error.text()
    assert page.meds.rowCount() == 0


def _in_view(page, widget) -> bool:
    """``widget``'s whole height inside the page's visible part (the page scrolls up and down)."""
    top = widget.mapTo(page.viewport(), QPoint(0, 0)).y()
    return top >= 0 and top + widget.height() <= page.viewport().height()


def test_a_field_reached_by_its_alt_key_out_of_sight_is_scrolled_into_view(window, qtbot, context):
    """Under Xvfb (ui18): Alt+C from the top of step 6 put the focus in Serum creatinine below
    the window's edge, and "15" was typed there unseen, with its unit question beside the unit."""
    context.store.set_clinic_settings(context.clinic().updated(profile="uk"), user="test")
    wiz, page = _medicines_step(window, qtbot)
    page.load({})
    page.flags[next(iter(page.flags))].setFocus()
    page.verticalScrollBar().setValue(0)
    window.resize(1000, 420)  # a small screen: Serum creatinine is below the window's edge
    qtbot.waitUntil(lambda: not _in_view(page, page.creat))
    qtbot.keyClick(focus(), Qt.Key_C, Qt.AltModifier)
    assert focus() is page.creat
    assert _in_view(page, page.creat)
    qtbot.keyClicks(focus(), "15")
    qtbot.waitUntil(lambda: page.creat_question.isVisible() and _in_view(page, page.creat_question))
    assert _in_view(page, page.creat)
    top = page.verticalScrollBar().value()
    box = page.tried["acetaminophen"]
    qtbot.mouseClick(page.creat, Qt.LeftButton)  # a click on a field in sight never moves the page
    assert page.verticalScrollBar().value() == top
    assert "Paracetamol" == box.text()
