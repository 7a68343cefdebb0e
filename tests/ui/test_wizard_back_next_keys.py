"""Back and Next from the keyboard, and no Alt+letter typed into a field (red-team rt8 F5).

An X11 keyboard sends Alt+B as a key press of B with the Alt modifier *and the text "b"*,
after a press of the Alt key itself. On the intake's first step Back is disabled, so its
mnemonic took nothing and the Patient ID received the "b": "P-ALTB" became "P-ALTBbb" and
was saved so. The events here are sent as that keyboard sends them (Alt pressed, the
letter with its text, Alt released), through QTest, so the shortcut map sees them first.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from .conftest import TODAY
from .keyboard import focus
from .window_steps import open_visit_dialog


def alt(qtbot, key):
    """Alt+``key`` as X11 sends it: Alt down, the key (a letter with its text), Alt up."""
    widget = focus()
    QTest.keyPress(widget, Qt.Key_Alt, Qt.AltModifier)
    target = focus() or widget
    if isinstance(key, str):
        QTest.keyClick(target, key, Qt.AltModifier)  # a character: the event carries its text, as X11's does
    else:
        QTest.keyClick(target, key, Qt.AltModifier)
    QTest.keyRelease(focus() or target, Qt.Key_Alt, Qt.NoModifier)
    QApplication.processEvents()


def _wizard(window, qtbot):
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    wiz = window.views["intake"]
    assert focus() is wiz.pages[0].pid
    return wiz


def _fill_first_step(qtbot, wiz):
    p = wiz.pages[0]
    qtbot.keyClicks(p.pid, "P-ALTB")
    p.age.setFocus()
    qtbot.keyClicks(p.age, "40")
    p.onset.setFocus()
    qtbot.keyClicks(p.onset, (TODAY - dt.timedelta(days=20)).isoformat())
    p.pid.setFocus()


def test_alt_b_on_the_first_step_types_nothing_into_the_patient_id(window, qtbot):
    wiz = _wizard(window, qtbot)
    qtbot.keyClicks(focus(), "P-ALTB")
    alt(qtbot, "b")
    alt(qtbot, "b")
    assert wiz.pages[0].pid.text() == "P-ALTB" and wiz.index == 0
    # a letter that is no mnemonic at all is not typed either
    alt(qtbot, "q")
    assert wiz.pages[0].pid.text() == "P-ALTB"
    # plain letters and AltGr-free capitals still type
    qtbot.keyClicks(focus(), "x")
    assert wiz.pages[0].pid.text() == "P-ALTBx"


def test_alt_n_and_alt_b_move_between_steps_and_type_nothing(window, qtbot):
    wiz = _wizard(window, qtbot)
    _fill_first_step(qtbot, wiz)
    alt(qtbot, "n")
    assert wiz.index == 1
    alt(qtbot, "b")
    assert wiz.index == 0
    alt(qtbot, "b")  # once too often: nothing, and nothing typed
    assert wiz.index == 0 and wiz.pages[0].pid.text() == "P-ALTB"


def test_alt_left_is_back_inside_the_intake_and_alt_right_next(window, qtbot):
    wiz = _wizard(window, qtbot)
    _fill_first_step(qtbot, wiz)
    alt(qtbot, Qt.Key_Right)
    assert wiz.index == 1 and window.stack.currentWidget() is wiz
    alt(qtbot, Qt.Key_Left)
    assert wiz.index == 0 and window.stack.currentWidget() is wiz  # one step back, not out of the intake
    alt(qtbot, Qt.Key_Left)  # on the first step, as Back: nothing (Ctrl+1 is the worklist)
    assert wiz.index == 0 and window.stack.currentWidget() is wiz
    assert wiz.pages[0].pid.text() == "P-ALTB"


def test_alt_left_outside_the_intake_still_goes_back_to_the_worklist(window, qtbot):
    window.open_case("P-DUE-case")
    assert window.stack.currentWidget() is window.patient_view
    window.patient_view.setFocus()
    alt(qtbot, Qt.Key_Left)
    assert window.stack.currentWidget() is window.views["worklist"]


def test_alt_letter_types_nothing_into_the_visit_notes(window, qtbot):
    dialog = open_visit_dialog(window, qtbot, "P-DUE-case")
    dialog.notes.setFocus()
    qtbot.keyClicks(dialog.notes, "Walks")
    alt(qtbot, "q")
    alt(qtbot, "z")
    assert dialog.notes.toPlainText() == "Walks" and dialog.leg.text() == ""
    dialog.leg.setFocus()
    alt(qtbot, "q")
    assert dialog.leg.text() == ""
    dialog.reject()
