"""A dose typed far above its label maximum is asked about in the window; an opioid patch typed
at the intake is the second opioid (gp18 F9, rt19 F7; H-MED-319, H-MED-322).

Motrin (ibuprofen) US label: "do not exceed 3200 mg total daily dose". More than three times it
is asked about as a likely typing slip (drugs.toml [dose_check_slip], a bound set by this tool).
CDC 2022 MME table: "Fentanyl transdermal (in mcg/hr) 2.4": fentanyl 25 mcg/h = 60 MME/day.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from .test_pregnancy_intake import key, patient_step, start, to_review
from .test_two_opioids_window import _add_medicine


def _review_banner(window, qtbot, medicines):
    wiz = start(window, qtbot)
    patient_step(qtbot, wiz, sex_letter="m")
    to_review(qtbot, wiz, medicine=None)
    key(qtbot, Qt.Key_Left, Qt.AltModifier)  # Back to the medicines step
    qtbot.waitUntil(lambda: wiz.index == 5)
    for name, dose in medicines:
        _add_medicine(qtbot, wiz, name, dose)
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: wiz.index == 6)
    review = wiz.pages[6]
    assert review.medicine_alerts.isVisibleTo(review)
    return review.medicine_alerts.text()


def test_ibuprofen_16_g_typed_at_the_intake_is_check_the_dose_on_review(window, qtbot, context):
    text = _review_banner(window, qtbot, [("ibuprofen", "16000")])
    assert "Check the dose: ibuprofen 16000 mg/day is 5 times the label maximum of 3200 mg" in text
    assert "A typing or unit slip?" in text
    assert "Avoid" not in text


def test_a_fentanyl_patch_typed_with_morphine_is_the_two_opioid_alert_with_its_mme(window, qtbot, context):
    text = _review_banner(window, qtbot, [("fentanyl 25 mcg/h patch", ""), ("morphine", "60")])
    assert "Two different opioids at once (fentanyl and morphine): together 120 MME/day" in text
