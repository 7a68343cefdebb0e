"""Left and Right move through every status filter button in reading order, whatever the width (wl18).

wl18 ("Not done"): when the worklist's filter bar wraps, Left/Right cannot reach the buttons of
other rows: from "Closed", Right stuck on "Upcoming" and Left stuck on "Not due"; only Up/Down
changed rows. gp17's repro "Shift+Tab, Right" reached Medicine alerts only at its width.

Driven by keys: Ctrl+1, Alt+S (search), Shift+Tab into the bar, then the arrows; at a narrow width
(the bar on several rows) and a wide one (one row).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from .keyboard import focus


def _into_the_bar(qtbot, window):
    view = window.views["worklist"]
    qtbot.keyClick(window, Qt.Key_1, Qt.ControlModifier)
    qtbot.waitUntil(lambda: view.counts_as_of is not None, timeout=5000)
    qtbot.keyClick(focus() or window, Qt.Key_S, Qt.AltModifier)
    assert focus() is view.search_box
    qtbot.keyClick(view.search_box, Qt.Key_Backtab, Qt.ShiftModifier)
    buttons = list(view.filter_buttons.values())
    assert focus() in buttons
    return view, buttons


def _rows(buttons) -> int:
    return len({b.mapTo(b.window(), b.rect().topLeft()).y() for b in buttons})


def _at_width(qtbot, window, width):
    window.resize(width, window.height())
    view = window.views["worklist"]
    qtbot.waitUntil(lambda: view.filter_bar.width() <= width)
    QApplication.processEvents()


@pytest.mark.parametrize("width, wraps", [(560, True), (2200, False)], ids=["narrow, wrapped", "wide, one row"])
def test_right_then_left_visit_every_button_in_reading_order(window, qtbot, width, wraps):
    _at_width(qtbot, window, width)
    view, buttons = _into_the_bar(qtbot, window)
    assert (_rows(buttons) > 1) is wraps
    # to the first button by Left (from wherever Shift+Tab landed)
    for _ in range(len(buttons)):
        qtbot.keyClick(focus(), Qt.Key_Left)
    assert focus() is buttons[0]
    seen = [focus()]
    for _ in range(len(buttons) + 2):  # two more than needed: the last one stays
        qtbot.keyClick(focus(), Qt.Key_Right)
        if focus() is not seen[-1]:
            seen.append(focus())
    assert seen == buttons, [b.text() for b in seen]
    back = [focus()]
    for _ in range(len(buttons) + 2):
        qtbot.keyClick(focus(), Qt.Key_Left)
        if focus() is not back[-1]:
            back.append(focus())
    assert back == buttons[::-1]


def test_from_the_end_of_a_row_right_goes_to_the_next_row_and_the_filter_follows(window, qtbot):
    """wl18's case: the checked filter at the end of a row; Right reaches the next row's first
    button and (as Qt's own arrows do within the group) the list follows the focus."""
    _at_width(qtbot, window, 560)
    view, buttons = _into_the_bar(qtbot, window)
    y = [b.mapTo(window, b.rect().topLeft()).y() for b in buttons]
    end = next(i for i in range(len(buttons) - 1) if y[i + 1] > y[i])  # the last of the first row
    buttons[end].click()
    buttons[end].setFocus()
    qtbot.keyClick(focus(), Qt.Key_Right)
    assert focus() is buttons[end + 1] and buttons[end + 1].isChecked()
    assert y[end + 1] > y[end]
    qtbot.keyClick(focus(), Qt.Key_Left)
    assert focus() is buttons[end] and buttons[end].isChecked()


def test_up_and_down_still_change_rows(window, qtbot):
    _at_width(qtbot, window, 560)
    view, buttons = _into_the_bar(qtbot, window)
    for _ in range(len(buttons)):
        qtbot.keyClick(focus(), Qt.Key_Left)
    top = focus().mapTo(window, focus().rect().topLeft()).y()
    qtbot.keyClick(focus(), Qt.Key_Down)
    assert focus() in buttons and focus().mapTo(window, focus().rect().topLeft()).y() > top
