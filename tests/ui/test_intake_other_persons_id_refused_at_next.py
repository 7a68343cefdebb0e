"""Another person's patient ID is refused at the Patient step's Next (gp20 F1, H-FU-377).

gp20 F1 (harm, wrong patient): a GP typed Gina Grey (female, born 1990) under Gordon Green's stored
patient ID. At Next the open-case question offered "Open case (add a visit)" on HIS case without a
word that the person typed differs; Open case carried the intake into a visit on his case and her leg
pain became his baseline. Save already refused such an intake ("This patient ID already belongs to
someone else", ``store.patient_conflicts``: one patient ID, one person, ``domain.identity``), but the
open-case question came first, at Next. Now Next refuses it by the same rule, names the difference,
keeps everything typed and asks nothing about the other person's case; the same person typed as
stored is still asked about her open case. Driven by keys, as a user types.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from .keyboard import focus, type_here
from .test_intake_open_case import _open_intake, _type_patient as _typed


def _type_patient(qtbot, window, pid, name):
    """New intake (Ctrl+3), then the open-case tests' own typing of the Patient step and Next."""
    wiz = _open_intake(window, qtbot)
    _typed(qtbot, wiz, pid=pid, name=name)
    return wiz


def test_another_persons_id_is_refused_at_next_with_no_open_case_question(window, qtbot, context):
    before = sorted(context.store.stored_ids()[1])
    wiz = _type_patient(qtbot, window, "P-NFU", "Gina Grey")  # P-NFU is Nico Nofollow, with an open case
    qtbot.waitUntil(lambda: "already belongs to someone else" in wiz.page_error.text())
    text = wiz.page_error.text()
    assert "Nico Nofollow" in text and "Gina Grey" in text  # the difference is named
    assert "Correct the patient ID" in text
    assert wiz.index == 0 and wiz.open_case_question is None  # nothing offers his case
    assert focus() is wiz.pages[0].pid  # where to correct it
    assert wiz.pages[0].name.text() == "Gina Grey"  # nothing typed is lost
    # pressing Next again does not get past it
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 0 and wiz.open_case_question is None
    assert sorted(context.store.stored_ids()[1]) == before  # nothing saved
    # a corrected (new) ID goes on to the next step, with nothing asked
    focus().selectAll()
    type_here(qtbot, "GINA-1")
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: wiz.index == 1)
    assert "already belongs" not in wiz.page_error.text()


def test_the_same_person_under_her_own_id_is_still_asked_about_her_open_case(window, qtbot):
    wiz = _type_patient(qtbot, window, "P-NFU", "Nico Nofollow")
    qtbot.waitUntil(lambda: wiz.open_case_question is not None and wiz.open_case_question.isVisible())
    assert "already belongs" not in wiz.page_error.text()
    wiz.open_case_question.reject()


def test_a_name_left_blank_is_no_difference(window, qtbot):
    """Unknown is not a difference (domain.identity): with no name typed, the ID's own open case is
    asked about, as before."""
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    wiz = window.views["intake"]
    type_here(qtbot, "P-NFU")
    qtbot.keyClick(focus(), Qt.Key_A, Qt.AltModifier)
    type_here(qtbot, "44")
    qtbot.keyClick(focus(), Qt.Key_T, Qt.AltModifier)
    type_here(qtbot, "2026-02-20")
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: wiz.open_case_question is not None or "already belongs" in wiz.page_error.text()
                    or wiz.index == 1 or bool(wiz.page_error.text()))
    assert "already belongs" not in wiz.page_error.text()
    if wiz.open_case_question is not None:
        wiz.open_case_question.reject()
