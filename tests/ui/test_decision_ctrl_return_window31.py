"""window31 (GP tryout): Ctrl+Return, the intake's and the visit dialog's Save key, did nothing in
the Record decision dialog. It saves there too, from any field (the note's text box included);
before a choice it records nothing and asks for one, as Save does. Driven by keys, offscreen."""

from __future__ import annotations

from PySide6.QtCore import Qt

from .keyboard import focus
from .window_steps import open_decision_dialog, open_visit_dialog


def _ctrl_return(qtbot):
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)


def test_ctrl_return_in_the_decision_note_saves_the_decision(window, qtbot, context):
    dialog = open_decision_dialog(window, qtbot, "P-DUE-case")
    qtbot.keyClick(focus(), Qt.Key_D, Qt.AltModifier)  # &Decision
    dialog.kind.buttons["continue_conservative_care"].setFocus()
    qtbot.keyClick(focus(), Qt.Key_Space)  # chosen
    assert dialog.choice() == "continue_conservative_care"
    qtbot.keyClick(focus(), Qt.Key_B, Qt.AltModifier)  # Decided &by
    assert focus() is dialog.by
    qtbot.keyClicks(dialog.by, "Dr A Patel, GP")
    qtbot.keyClick(focus(), Qt.Key_N, Qt.AltModifier)  # &Note
    assert focus() is dialog.note
    qtbot.keyClicks(dialog.note, "review at 8 weeks")
    _ctrl_return(qtbot)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    decisions = context.store.get_case("P-DUE-case").decisions
    assert [d.kind for d in decisions][-1:] == ["continue_conservative_care"]
    assert decisions[-1].note == "review at 8 weeks"  # no line break added by the key


def test_ctrl_return_before_a_choice_records_nothing_and_asks_for_one(window, qtbot, context):
    before = context.store.get_case("P-DUE-case").decisions
    dialog = open_decision_dialog(window, qtbot, "P-DUE-case")
    qtbot.keyClick(focus(), Qt.Key_B, Qt.AltModifier)
    qtbot.keyClicks(dialog.by, "Dr A Patel, GP")
    _ctrl_return(qtbot)
    assert dialog.isVisible()
    assert dialog.form.errors["decision.kind"].text()  # said beside the choice
    assert context.store.get_case("P-DUE-case").decisions == before


def test_ctrl_return_still_saves_the_visit(window, qtbot, context):
    dialog = open_visit_dialog(window, qtbot, "P-NFU-case")
    qtbot.keyClick(focus(), Qt.Key_Tab)
    assert focus() is dialog.leg
    qtbot.keyClicks(dialog.leg, "4")
    _ctrl_return(qtbot)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    (visit,) = context.store.get_case("P-NFU-case").visits
    assert visit.leg_nrs == 4
