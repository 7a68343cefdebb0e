"""window31 (GP tryout): a negative daily dose typed in the intake's medicines step was refused only
at Next, as "This must be between 0 and 100000 mg (got -300)", with no medicine named. It is now said
beside the table as it is typed (once typing pauses, the cell editor still open) and when the cell
is left, naming the medicine; what was typed is kept; Next refuses it in the same words; corrected,
the message goes. Driven by keys."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from .keyboard import focus
from .test_dose_floor_wizard import _conditions_page, _type_medicine


def _keys(qtbot, *keys) -> None:
    """Each key to the focused widget as a user types it, the events of each handled before the next."""
    for k in keys:
        if isinstance(k, str):
            for ch in k:
                qtbot.keyClicks(focus(), ch)
                QApplication.processEvents()
            continue
        key, mod = k if isinstance(k, tuple) else (k, Qt.NoModifier)
        qtbot.keyClick(focus(), key, mod)
        QApplication.processEvents()


def _said(page) -> str:
    return page.meds_error.text() if page.meds_error.isVisible() else ""


@pytest.mark.parametrize("typed", ["-300", "-0.5", "-0"])
def test_a_negative_dose_is_said_when_the_cell_is_left_naming_the_medicine(window, qtbot, typed):
    wiz, page = _conditions_page(window, qtbot)
    _type_medicine(qtbot, "gabapentin", typed)  # ends with Return: the cell is left
    said = _said(page)
    assert f"Row 1: gabapentin {float(typed):g} mg a day is not a dose" in said
    assert "Leave the dose out if it is not known" in said
    assert page.meds.item(0, 1).text() == typed  # kept as typed
    index = wiz.index
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Next: refused, in the same words
    assert wiz.index == index
    assert f"gabapentin {float(typed):g} mg a day is not a dose" in _said(page)
    assert "between 0 and" not in _said(page)
    assert page.meds.item(0, 1).text() == typed


def test_said_while_typing_and_gone_once_corrected(window, qtbot):
    wiz, page = _conditions_page(window, qtbot)
    _keys(qtbot, (Qt.Key_M, Qt.AltModifier), "naproxen", Qt.Key_Return, Qt.Key_Right, "-500")
    editor = focus()
    qtbot.waitUntil(lambda: "naproxen -500 mg a day is not a dose" in _said(page))  # the editor still open
    assert editor is focus() and editor.text() == "-500"
    editor.selectAll()
    qtbot.keyClicks(editor, "500")
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: not page.meds_error.isVisible())
    index = wiz.index
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == index + 1


def test_a_row_with_no_name_is_named_by_its_row(window, qtbot):
    wiz, page = _conditions_page(window, qtbot)
    _keys(qtbot, (Qt.Key_M, Qt.AltModifier), Qt.Key_Right, "-5", Qt.Key_Return)
    assert "The medicine in row 1 -5 mg a day is not a dose" in _said(page)


def test_a_real_dose_says_nothing(window, qtbot):
    wiz, page = _conditions_page(window, qtbot)
    _type_medicine(qtbot, "gabapentin", "300")
    assert not page.meds_error.isVisible()
