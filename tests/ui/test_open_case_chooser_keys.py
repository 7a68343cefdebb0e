"""The open-case chooser picks a row only when the clinician moves to one or clicks it (rt18 F7).

gp17 F12's rule, stated in the chooser: "Up and Down choose; nothing is chosen for you". rt18 F7:
with two open cases and nothing chosen, "C" (the list's keyboard search: every row starts "Case")
picked the last row, PageDown the last row and Space the resting row 0; Return then opened it.
And the question before it said "2 open cases" where the chooser says "two open cases".
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from .keyboard import focus
from .test_intake_open_case import _open_intake, _type_patient
from .test_intake_open_case_which import NEWER, OLD, _second_open_case, _which


def _chooser(window, qtbot, context):
    _second_open_case(context)
    wiz = _open_intake(window, qtbot)
    _type_patient(qtbot, wiz)
    chooser = _which(qtbot, wiz, window)  # asserts the question says "two open cases"
    assert "has two open cases" in chooser.intro.text()
    assert focus() is chooser.list and chooser.case_id() is None
    return wiz, chooser


@pytest.mark.parametrize("keys", [[Qt.Key_C], [Qt.Key_P], [Qt.Key_PageDown], [Qt.Key_PageUp], [Qt.Key_Space],
                                  [Qt.Key_C, Qt.Key_A, Qt.Key_S, Qt.Key_E]])
def test_keys_that_do_not_move_to_a_row_pick_nothing(window, qtbot, context, keys):
    wiz, chooser = _chooser(window, qtbot, context)
    for key in keys:
        qtbot.keyClick(focus(), key)
    assert chooser.case_id() is None and chooser.list.selectedItems() == []
    qtbot.keyClick(focus(), Qt.Key_A, Qt.ControlModifier)  # select all: nothing either
    assert chooser.case_id() is None
    qtbot.keyClick(focus(), Qt.Key_Return)  # Return with nothing chosen says so and opens nothing
    assert chooser.isVisible() and chooser.error.isVisible() and "No case chosen" in chooser.error.text()


@pytest.mark.parametrize("key, picked", [(Qt.Key_Down, NEWER), (Qt.Key_Home, NEWER), (Qt.Key_Up, OLD),
                                         (Qt.Key_End, OLD)])
def test_moving_to_a_row_picks_it(window, qtbot, context, key, picked):
    wiz, chooser = _chooser(window, qtbot, context)
    qtbot.keyClick(focus(), key)
    assert chooser.case_id() == picked


def test_once_picked_letters_and_space_never_move_the_pick(window, qtbot, context):
    wiz, chooser = _chooser(window, qtbot, context)
    qtbot.keyClick(focus(), Qt.Key_Down)
    assert chooser.case_id() == NEWER
    for key in (Qt.Key_C, Qt.Key_Space):
        qtbot.keyClick(focus(), key)
        assert chooser.case_id() == NEWER
    qtbot.keyClick(focus(), Qt.Key_Down)  # deliberate moves still move it
    assert chooser.case_id() == OLD


def test_a_click_on_a_row_picks_it(window, qtbot, context):
    wiz, chooser = _chooser(window, qtbot, context)
    rect = chooser.list.visualItemRect(chooser.list.item(1))
    qtbot.mouseClick(chooser.list.viewport(), Qt.LeftButton, pos=rect.center())
    assert chooser.case_id() == OLD
