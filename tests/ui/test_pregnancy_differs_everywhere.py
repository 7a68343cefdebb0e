"""While one patient's open cases disagree on her pregnancy, the "not pregnant" case does not
read as safe anywhere a clinician looks (gp18 F1, harm).

Before: Preg-A's "not pregnant" case (ibuprofen) had only "The pregnancy differs..." on its page
and no medicine alert; its worklist row had no mark and it was not on Medicine alerts; the
open-case chooser row read "not pregnant; medicines: no alert", and the "already has two open
cases" question said nothing of it. Now the one rule (``domain.episodes.pregnancy_differs``) is
asked by the case page (the other case's weeks and the alerts her medicines would carry at them),
the worklist (a mark on both rows; Medicine alerts lists the case, counted as listed), the
chooser's rows and the question.

FDA Drug Safety Podcast on the 15 Oct 2020 Drug Safety Communication (fda.gov): "We recommend
avoiding NSAIDs in pregnant women at 20 weeks, rather than the 30 weeks currently described in
NSAID prescribing information. At around 30 weeks, NSAIDs can cause a problem that may result in
heart issues in the unborn baby." Case P-PREG2-case records 33 weeks 20 days ago (35 today).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.ui.wizard import WhichOpenCase

from .conftest import TODAY
from .test_handout_pregnancy_differs import _two_cases
from .test_intake_open_case import _open_intake, _question, _type_patient
from .window_steps import why_cells

PREG, SECOND = "P-PREG2-case", "P-PREG2-second"


@pytest.fixture
def seeded(context, request):
    _two_cases(context)
    return request.getfixturevalue("window")


_why = why_cells


def test_the_not_pregnant_case_page_names_the_weeks_and_the_alerts_she_would_have(seeded, qtbot):
    window = seeded
    window.open_case(SECOND)
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    line = window.patient_view.pregnancy_differs
    assert line.isVisible()
    text = line.text()
    assert "case P-PREG2-case records pregnant, 33 weeks" in text and "35 weeks pregnant" in text
    assert ("If she is pregnant as case P-PREG2-case records (35 weeks on this day), this case's medicines carry: "
            "Contraindicated: ibuprofen.") in text
    # the pregnant case: named, but its own alerts stand (no "if pregnant" line)
    window.open_case(PREG)
    qtbot.waitUntil(lambda: window.patient_view.case_id == PREG)
    assert line.isVisible() and "P-PREG2-second" in line.text() and "If she is pregnant" not in line.text()


def test_medicine_alerts_lists_it_with_the_reason_and_both_rows_are_marked(seeded, qtbot):
    view = seeded.views["worklist"]
    qtbot.waitUntil(lambda: view.counts_as_of is not None, timeout=3000)
    qtbot.mouseClick(view.medicines_button, Qt.LeftButton)
    assert view.medicines_button.isChecked()
    qtbot.waitUntil(lambda: not view.model.reading, timeout=10000)  # the list is read in a worker (st21)
    why = _why(view)
    assert {PREG, SECOND} <= set(why)
    assert view.medicines_button.text() == f"Medicine alerts ({len(why)})"  # the count is the list's
    # fxk20 (gp19 F11, rt21 F7): the mark opens the Why, once; then the rating she would carry
    assert why[SECOND].startswith("PREGNANCY DIFFERS. CONTRAINDICATED IF PREGNANT: ibuprofen. ")
    assert why[PREG].startswith("PREGNANCY DIFFERS. CONTRAINDICATED: ibuprofen. PREGNANT 35 WK. ")
    row = next(r for r in range(view.model.rowCount()) if view.model.rows[r].case_id == SECOND)
    view.table.setFocus()
    view.table.selectRow(row)
    said = view.why_label.text()
    assert ("Contraindicated if pregnant: ibuprofen. Pregnancy differs between cases. If pregnant as case "
            "P-PREG2-case records (35 weeks): ") in said


def test_the_open_case_question_and_the_chooser_rows_name_it(seeded, qtbot):
    window = seeded
    wiz = _open_intake(window, qtbot)
    _type_patient(qtbot, wiz, pid="P-PREG2", name="Ada Example", onset=TODAY.isoformat())
    box = _question(qtbot, wiz)
    assert "two open cases" in box.text()
    assert ("⚠ Case P-PREG2-second: PREGNANCY DIFFERS between cases: case P-PREG2-case records 35 weeks pregnant "
            f"on {TODAY.isoformat()} (today); if pregnant 35 weeks: Contraindicated ibuprofen") in box.text()
    assert "⚠ Case P-PREG2-case: PREGNANCY DIFFERS between cases: case P-PREG2-second records not pregnant" in box.text()
    assert box.defaultButton().text() == "&Cancel"  # unchanged: the safe answer
    qtbot.keyClick(box, Qt.Key_O, Qt.AltModifier)
    qtbot.waitUntil(lambda: isinstance(wiz.open_case_question, WhichOpenCase) and wiz.open_case_question.isVisible())
    chooser = wiz.open_case_question
    rows = {chooser.list.item(i).data(Qt.UserRole): chooser.list.item(i).text() for i in range(chooser.list.count())}
    assert "not pregnant; medicines: no alert; PREGNANCY DIFFERS between cases: case P-PREG2-case records 35 weeks" \
           " pregnant" in rows[SECOND]
    assert rows[SECOND].endswith("if pregnant 35 weeks: Contraindicated ibuprofen")
    assert "PREGNANT 35 weeks" in rows[PREG] and "case P-PREG2-second records not pregnant" in rows[PREG]
    chooser.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is chooser)
    qtbot.keyClick(chooser.list, Qt.Key_Escape)  # back to the intake as typed: nothing chosen, nothing saved
    qtbot.waitUntil(lambda: wiz.open_case_question is None)
    assert len(window.context.store.patient_cases("P-PREG2")) == 2
