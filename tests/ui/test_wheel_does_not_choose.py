"""A turn of the mouse wheel over a form never changes an answer (gp17 F4: scrolling step 6 with
the pointer over "Myocardial infarction in the past 3 months" changed Not recorded to No, and it
was saved, which the NSAID checks read). The wheel scrolls the step; arrows, typed letters and the
open list still choose."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.ui.choice import ChoiceBox


def _wheel(widget, steps=-1):
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, 120 * steps),
                        Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)
    return event


def _conditions_step(window, qtbot):
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    wiz = window.views["intake"]
    wiz._go(5)  # the "Conditions and medicines" step
    return wiz.pages[5]


def test_the_wheel_over_a_drop_down_scrolls_the_step_and_changes_no_answer(window, qtbot):
    page = _conditions_step(window, qtbot)
    boxes = [b for b in page.findChildren(ChoiceBox) if b.isVisible() and b.isEnabled()]
    assert boxes, "the step has drop-downs"
    before = [b.currentIndex() for b in boxes]
    for box in boxes:
        for steps in (-1, -3, 2):
            # not taken by the drop-down: Qt hands an ignored wheel event on to the widgets
            # behind it, the step's scroll area
            assert not _wheel(box, steps).isAccepted()
    assert [b.currentIndex() for b in boxes] == before
    # focused, the wheel still changes nothing; the keyboard still chooses
    box = boxes[0]
    box.setFocus()
    _wheel(box, -1)
    assert box.currentIndex() == before[0]
    qtbot.keyClick(box, Qt.Key_Down)
    assert box.currentIndex() == min(before[0] + 1, box.count() - 1)
