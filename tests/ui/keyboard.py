"""Driving the window from the keyboard, as a user would (shared by the UI tests)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QRadioButton


def focus():
    return QApplication.focusWidget()


def type_here(qtbot, text):
    """Replace the focused field's text by typing ``text``."""
    widget = focus()
    if hasattr(widget, "selectAll"):
        widget.selectAll()
    qtbot.keyClicks(widget, text)


def tab(qtbot, n=1):
    for _ in range(n):
        qtbot.keyClick(focus(), Qt.Key_Tab)


def tab_until(qtbot, predicate, limit=80):
    """Press Tab until the focused widget satisfies ``predicate``; fail after ``limit`` presses."""
    for _ in range(limit):
        if predicate(focus()):
            return focus()
        tab(qtbot)
    raise AssertionError(f"Tab never reached the wanted widget; stuck on {focus()!r}")


def answer_by_keyboard(qtbot, group, code):
    """Tab into a radio group, arrow to the answer, Space to choose it."""
    tab_until(qtbot, lambda w: isinstance(w, QRadioButton) and w in group.buttons.values())
    order = list(group.buttons.values())
    target = group.buttons[code]
    key = Qt.Key_Right if order.index(target) > order.index(focus()) else Qt.Key_Left
    for _ in range(len(order)):
        if focus() is target:
            break
        qtbot.keyClick(focus(), key)
    assert focus() is target
    qtbot.keyClick(focus(), Qt.Key_Space)
    assert group.value() == code
