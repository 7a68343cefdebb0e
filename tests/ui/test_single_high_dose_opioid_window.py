"""One opioid alone at a high total, typed at the intake, is an alert on Review and on the saved
case page, with the total and how it was counted (mme21, gp20 F2; H-MED-381).

CDC 2016 recommendation 5: "should avoid increasing dosage to >=90 MME/day or carefully justify a
decision to titrate dosage to >=90 MME/day"; CDC 2022 recommendation 5: opioids "should not be
discontinued abruptly"; recommendation 8: "... including offering naloxone". MME table: morphine 1.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from .test_pregnancy_intake import key, patient_step, start, to_review, type_keys
from .test_two_opioids_window import _add_medicine


def test_morphine_400_mg_alone_is_an_alert_on_review_and_the_case_page(window, qtbot, context):
    wiz = start(window, qtbot)
    patient_step(qtbot, wiz, sex_letter="m")
    to_review(qtbot, wiz, medicine=None)
    key(qtbot, Qt.Key_Left, Qt.AltModifier)  # Back to the medicines step
    qtbot.waitUntil(lambda: wiz.index == 5)
    _add_medicine(qtbot, wiz, "morphine", "400")
    assert [m["name"] for m in wiz.pages[5].medicines()[0]] == ["morphine"]
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: wiz.index == 6)
    review = wiz.pages[6]
    banner = review.medicine_alerts
    assert banner.isVisibleTo(review)
    text = banner.text()
    assert "current opioids total 400 MME/day (morphine: morphine 400 mg/day x 1), 90 MME/day or more" in text
    assert "offer naloxone" in text and "do not stop morphine suddenly" in text
    assert "Stop it" not in text
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)  # Save case
    qtbot.waitUntil(lambda: window.patient_view.case_id is not None)
    assert window.patient_view.medicine_alert_banner.text() == text  # one banner, one wording


def test_morphine_40_mg_alone_has_no_opioid_total_alert(window, qtbot, context):
    wiz = start(window, qtbot)
    patient_step(qtbot, wiz, sex_letter="m")
    to_review(qtbot, wiz, medicine=None)
    key(qtbot, Qt.Key_Left, Qt.AltModifier)
    qtbot.waitUntil(lambda: wiz.index == 5)
    _add_medicine(qtbot, wiz, "morphine", "40")
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: wiz.index == 6)
    review = wiz.pages[6]
    assert "current opioids total" not in review.medicine_alerts.text()
