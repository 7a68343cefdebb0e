"""rt12 F11 in the window: "continue conservative care until" more than one year after the
decision is refused beside the date (a slip of the year would take a due case off the
worklist for a decade); one year exactly is recorded. README, "Decisions"."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from .conftest import TODAY
from .keyboard import focus, type_here
from .window_steps import open_decision_dialog

CASE = "P-DUE-case"


def _continue_until(qtbot, dialog, until: str) -> None:
    target = dialog.kind.buttons["continue_conservative_care"]
    target.setFocus()
    qtbot.keyClick(focus(), Qt.Key_Space)
    assert dialog.choice() == "continue_conservative_care" and dialog.until.isEnabled()
    dialog.until.setFocus()
    type_here(qtbot, until)


def test_the_decision_dialog_refuses_an_until_more_than_a_year_ahead(window, qtbot, context):
    dialog = open_decision_dialog(window, qtbot, CASE)
    wrong = (TODAY.replace(year=TODAY.year + 10)).isoformat()  # the year mistyped
    _continue_until(qtbot, dialog, wrong)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert dialog.isVisible()
    message = dialog.form.errors["decision.until"].text()
    assert "more than one year after the decision" in message
    assert (TODAY + dt.timedelta(days=365)).isoformat() in message  # the latest date allowed
    assert context.store.get_case(CASE).decisions == ()  # nothing recorded
    # corrected to one year exactly: recorded
    dialog.until.setFocus()
    type_here(qtbot, (TODAY + dt.timedelta(days=365)).isoformat())
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    (decision,) = context.store.get_case(CASE).decisions
    assert decision.until == TODAY + dt.timedelta(days=365)
