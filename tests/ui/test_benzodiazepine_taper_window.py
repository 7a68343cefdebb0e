"""Oxycodone with diazepam typed at the intake: Review and the case page say not to stop either
one suddenly, each with its own reason (src19).

FDA Drug Safety Communication, 23 September 2020 (benzodiazepines): "Stopping them abruptly or
reducing the dosage too quickly can result in withdrawal reactions, including seizures, which can
be life-threatening." FDA Drug Safety Communication, 9 April 2019 (opioids): do not abruptly
discontinue opioids in a patient who is physically dependent. Before: the banner said "do not stop
oxycodone suddenly" and nothing of the diazepam, which a reader took as the one to stop.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from .test_pregnancy_intake import key, patient_step, start, to_review
from .test_two_opioids_window import _add_medicine


def test_oxycodone_with_diazepam_typed_at_the_intake_names_both_as_not_to_stop_suddenly(window, qtbot, context):
    wiz = start(window, qtbot)
    patient_step(qtbot, wiz, sex_letter="m")
    to_review(qtbot, wiz, medicine=None)
    key(qtbot, Qt.Key_Left, Qt.AltModifier)  # Back to the medicines step
    qtbot.waitUntil(lambda: wiz.index == 5)
    _add_medicine(qtbot, wiz, "oxycodone", "20")
    _add_medicine(qtbot, wiz, "diazepam", "15")
    assert [m["name"] for m in wiz.pages[5].medicines()[0]] == ["oxycodone", "diazepam"]
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: wiz.index == 6)
    review = wiz.pages[6]
    banner = review.medicine_alerts
    assert banner.isVisibleTo(review)
    text = banner.text()
    assert "do not stop oxycodone or diazepam suddenly" in text  # "or" (wording30)
    assert "diazepam: taken steadily for days to weeks" in text and "seizures" in text
    assert "Stop it" not in text
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)  # Save case
    qtbot.waitUntil(lambda: window.patient_view.case_id is not None)
    assert window.patient_view.medicine_alert_banner.text() == text  # one banner, one wording
