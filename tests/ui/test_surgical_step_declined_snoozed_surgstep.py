"""surgstep: on the case page, the stepped-care surgical-opinion step says what the status says
after a decision is recorded by keys: the patient declined (not "Now": the patient's decision and its
date), and continue conservative care until a date (when it is reviewed again and who decided)."""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import Qt

from .conftest import TODAY
from .keyboard import focus
from .window_steps import back_to_window, open_decision_dialog


def _surgical_line(window) -> str:
    text = window.patient_view.pathway.toPlainText()
    at = text.index("Surgical opinion")
    return re.sub(r"\s+", " ", text[max(at - 40, 0): at + 400])


def _decide(window, qtbot, kind: str, by: str):
    dialog = open_decision_dialog(window, qtbot, "P-DUE-case")
    dialog.kind.buttons[kind].setFocus()
    qtbot.keyClick(focus(), Qt.Key_Space)
    qtbot.keyClick(focus(), Qt.Key_B, Qt.AltModifier)
    qtbot.keyClicks(dialog.by, by)
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    back_to_window(qtbot, dialog, window)


def test_patient_declined_is_named_on_the_step_not_now(window, qtbot, context):
    window.open_case("P-DUE-case")
    assert "Now" in _surgical_line(window)
    _decide(window, qtbot, "patient_declined", "Dr A Patel, GP")
    qtbot.waitUntil(lambda: "declined" in window.patient_view.status.text().lower())
    qtbot.waitUntil(lambda: "the patient declined a surgical opinion on " + TODAY.isoformat() in _surgical_line(window))
    line = _surgical_line(window)
    assert "Surgical opinion: Now" not in line and "Not now" in line and "Review due now" not in line


def test_continue_care_until_says_when_it_is_reviewed_again(window, qtbot, context):
    window.open_case("P-DUE-case")
    dialog = open_decision_dialog(window, qtbot, "P-DUE-case")
    dialog.kind.buttons["continue_conservative_care"].setFocus()
    qtbot.keyClick(focus(), Qt.Key_Space)
    until = dt.date.fromisoformat(dialog.until.value())  # the dialog's own default date ahead
    assert until > TODAY
    qtbot.keyClick(focus(), Qt.Key_B, Qt.AltModifier)
    qtbot.keyClicks(dialog.by, "Dr A Patel, GP")
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    back_to_window(qtbot, dialog, window)
    qtbot.waitUntil(lambda: "Reviewed again on " + until.isoformat() in _surgical_line(window))
    line = _surgical_line(window)
    assert "Dr A Patel, GP decided on " + TODAY.isoformat() in line
    assert "Later" in line and "Review due now" not in line
