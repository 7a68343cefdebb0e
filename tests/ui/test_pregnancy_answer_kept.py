""""Pregnant? No" is saved with the case, and the case page shows the pregnancy on today's date
(preg16, H-UI-206 and H-MED-205), typed and opened as a clinician would.

Before, "No" was kept only in the unfinished-intake draft: the saved case could not say "not
pregnant", so the summary and the case page could not tell "asked: not pregnant" from "not
asked". And the case page printed the weeks recorded at the intake on every later day: a
patient recorded at 18 weeks was still "18 weeks" when she had reached the FDA's 20-week NSAID
advice (FDA Drug Safety Communication 2020: "We recommend avoiding NSAIDs in pregnant women at
20 weeks, rather than the 30 weeks currently described in NSAID prescribing information").
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.domain.intake import parse_case

from .conftest import NO_FLAGS, TODAY, case_dict
from .keyboard import focus, type_here
from .test_draft_autosave import new_wizard
from .test_pregnancy_intake import AVOID_20, key, patient_step, review_text, start, to_review


def test_no_is_kept_in_the_draft_and_saved_with_the_case(window, qtbot, context):
    wiz = start(window, qtbot)
    p = patient_step(qtbot, wiz, answer_letter="y")  # Yes, weeks not typed: refused beside the field
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 0 and "weeks of pregnancy" in p.form.errors["patient.pregnancy_weeks"].text()
    key(qtbot, Qt.Key_R, Qt.AltModifier)
    qtbot.keyClicks(focus(), "n")  # the answer corrected to No
    assert not p.weeks.isVisibleTo(p)
    assert wiz.case_dict()["patient"]["pregnant"] is False
    assert "pregnancy_weeks" not in wiz.case_dict()["patient"]
    assert wiz.keep_draft()

    again = new_wizard(qtbot, context)  # the draft reopened
    assert again.pages[0].pregnancy_answer() == "no"
    assert again.case_dict()["patient"]["pregnant"] is False
    again.close()
    window.activateWindow()  # back to the intake in the main window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    p.pregnant.setFocus()

    review = to_review(qtbot, wiz)
    assert "Not pregnant (answered no; saved with the case)" in review_text(review)
    assert AVOID_20 not in review_text(review)
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)  # Save case
    qtbot.waitUntil(lambda: window.patient_view.case_id is not None)
    case = context.store.get_case(window.patient_view.case_id)
    assert case.patient.pregnant is False and case.patient.pregnancy_weeks is None
    assert f"not pregnant (answered at the intake, {TODAY.isoformat()})" in window.patient_view.title.text()


def test_a_case_opened_later_shows_the_weeks_on_today(window, qtbot, context):
    data = case_dict("P-WEEKS", "Wendy Weeks", 15, red_flags=NO_FLAGS)
    data["patient"]["pregnancy_weeks"] = 18
    data["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
    context.store.import_cases([parse_case(data)])
    key(qtbot, Qt.Key_2, Qt.ControlModifier)
    patients = window.show_view("patients")
    patients.search_box.setFocus()
    type_here(qtbot, "P-WEEKS")
    qtbot.keyClick(patients.search_box, Qt.Key_Return)
    view = window.patient_view
    assert view.case_id == "P-WEEKS-case"
    intake = (TODAY - dt.timedelta(days=15)).isoformat()
    assert f"Pregnant, 20 weeks on {TODAY.isoformat()} (18 at the intake on {intake})" in view.title.text()
    qtbot.waitUntil(lambda: AVOID_20 in view.medicine_alert_banner.text())  # 20 weeks today: the FDA advice
