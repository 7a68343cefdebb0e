"""The follow-up visit's Clinician and the decision's "Decided by" have the intake's bound (mmx22
leftover; gp21 F6): the limit is shown in the field, a longer name is refused beside the field
at Save, naming the limit and the length, and what was typed is kept to be shortened (never
cut); one Backspace to the limit and Save records it. Driven by keys, offscreen.

Before: both fields took any length (the intake's Clinician alone was bounded).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.domain.intake import MAX_CLINICIAN_NAME

from .conftest import TODAY
from .keyboard import focus, type_here


def _active(qtbot, dialog):
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)


def _save(qtbot):
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # the visit's Save key (Return goes to the next field)


def _save_decision(qtbot):
    qtbot.keyClick(focus(), Qt.Key_Return)  # Return in the decision dialog presses Save


def test_a_visit_clinician_over_the_limit_is_refused_beside_the_field_and_kept(window, qtbot, context):
    window.open_case("P-NFU-case")
    dialog = window.patient_view.add_visit()
    _active(qtbot, dialog)
    qtbot.keyClick(focus(), Qt.Key_Tab)
    assert focus() is dialog.leg
    type_here(qtbot, "4")
    qtbot.keyClick(focus(), Qt.Key_I, Qt.AltModifier)  # Cl&inician
    assert focus() is dialog.clinician
    assert f"at most {MAX_CLINICIAN_NAME} characters" in dialog.clinician.placeholderText()
    typed = "Dr " + "X" * (MAX_CLINICIAN_NAME - 2)  # one over
    type_here(qtbot, typed)
    _save(qtbot)
    assert dialog.isVisible(), "Save must not close the dialog with a refused field"
    said = dialog.form.errors["visit.clinician"].text()
    assert f"At most {MAX_CLINICIAN_NAME} characters (this one has {MAX_CLINICIAN_NAME + 1})" in said
    assert 'name and role, e.g. "Dr A Patel, GP"' in said  # read as words, never as a field path ("g.")
    assert dialog.clinician.text() == typed, "what was typed is kept, never cut"
    assert dialog.leg.value() == 4  # and the rest of the visit too
    assert context.store.get_case("P-NFU-case").visits == ()
    dialog.clinician.setFocus()
    qtbot.keyClick(dialog.clinician, Qt.Key_End)
    qtbot.keyClick(dialog.clinician, Qt.Key_Backspace)  # at the limit: accepted
    _save(qtbot)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    (visit,) = context.store.get_case("P-NFU-case").visits
    assert visit.clinician == typed[:-1] and visit.date == TODAY and visit.leg_nrs == 4


def test_a_pasted_decider_over_the_limit_is_refused_beside_the_field_and_kept(window, qtbot, context):
    window.open_case("P-DUE-case")
    dialog = window.patient_view.record_decision()
    _active(qtbot, dialog)
    qtbot.mouseClick(dialog.kind.buttons["referred_for_surgical_opinion"], Qt.LeftButton)
    qtbot.keyClick(focus(), Qt.Key_B, Qt.AltModifier)  # Decided &by
    assert focus() is dialog.by
    assert f"at most {MAX_CLINICIAN_NAME} characters" in dialog.by.placeholderText()
    pasted = "Dr " + "Y" * 150  # a paste: no cut by the field
    dialog.by.setText(pasted)
    _save_decision(qtbot)
    assert dialog.isVisible()
    said = dialog.form.errors["decision.by"].text()
    assert f"At most {MAX_CLINICIAN_NAME} characters (this one has 153)" in said
    assert dialog.by.text() == pasted
    assert context.store.get_case("P-DUE-case").decisions == ()
    dialog.by.setFocus()
    dialog.by.selectAll()
    type_here(qtbot, "Dr Y Young, Consultant Orthopaedic Surgeon")
    _save_decision(qtbot)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    (decision,) = context.store.get_case("P-DUE-case").decisions
    assert decision.by == "Dr Y Young, Consultant Orthopaedic Surgeon"
