"""The intake says when a new patient ID differs from a stored one only in capitals, and the
open-case question treats the two as one patient (rt16 F2, H-FU-229), driven by keys.

rt16 F2: ``p-oc-1`` beside a stored ``P-OC-1`` was a new patient with no warning, and the
one-open-case rule (keyed on the exact ID) did not see the stored patient's open case.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from .keyboard import focus, tab, type_here


def _open_intake(window, qtbot):
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    wiz = window.views["intake"]
    assert window.stack.currentWidget() is wiz
    return wiz


def _type_patient(qtbot, wiz, pid):
    assert focus() is wiz.pages[0].pid
    type_here(qtbot, pid)
    tab(qtbot)
    type_here(qtbot, "Nico Nofollow")
    qtbot.keyClick(focus(), Qt.Key_A, Qt.AltModifier)
    type_here(qtbot, "44")
    qtbot.keyClick(focus(), Qt.Key_T, Qt.AltModifier)
    type_here(qtbot, "2026-02-20")


def _next(qtbot):
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)


def test_capitals_are_said_once_then_the_open_case_is_asked_about(window, qtbot):
    wiz = _open_intake(window, qtbot)
    _type_patient(qtbot, wiz, "p-nfu")  # the seeded P-NFU has an open case
    _next(qtbot)
    assert wiz.index == 0 and wiz.open_case_question is None
    shown = wiz.page_error.text()
    assert "Patient p-nfu differs from stored patient P-NFU only in capitals" in shown
    assert "Press Next again" in shown
    assert focus() is wiz.pages[0].pid and wiz.pages[0].pid.text() == "p-nfu"  # nothing typed is changed
    _next(qtbot)
    qtbot.waitUntil(lambda: wiz.open_case_question is not None and wiz.open_case_question.isVisible())
    box = wiz.open_case_question
    assert "Patient p-nfu already has an open case: case P-NFU-case" in box.text()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
    qtbot.keyClick(box, Qt.Key_Escape)  # Cancel
    qtbot.waitUntil(lambda: wiz.open_case_question is None)


def test_a_new_patient_id_without_a_variant_says_nothing(window, qtbot):
    wiz = _open_intake(window, qtbot)
    _type_patient(qtbot, wiz, "P-BRAND-NEW")
    _next(qtbot)
    qtbot.waitUntil(lambda: wiz.index == 1)
    assert "capitals" not in wiz.page_error.text()
