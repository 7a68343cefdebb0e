"""Two different opioids typed at the intake are named on Review and on the case page (opi18, gp17 F6).

CDC 2022 (MME table footnote): "Multiply the dose for each opioid by the conversion factor to
determine the dose in MMEs": codeine 240 mg x 0.15 = 36, oxycodone 40 mg x 1.5 = 60, 96 MME in
all. FDA Drug Safety Communication, 9 April 2019: do not stop an opioid suddenly in a patient who
is physically dependent. gp17 F6: codeine with oxycodone raised no alert, and the medicine table
read "taking 280 mg/day".
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from .test_pregnancy_intake import key, patient_step, start, to_review, type_keys


def _add_medicine(qtbot, wiz, name, dose):
    """Alt+M adds a row; the name, Return, Right to the dose, the dose, Return: as a user types."""
    key(qtbot, Qt.Key_M, Qt.AltModifier)
    type_keys(qtbot, name)
    key(qtbot, Qt.Key_Return)
    key(qtbot, Qt.Key_Right)
    type_keys(qtbot, dose)
    key(qtbot, Qt.Key_Return)


def test_codeine_and_oxycodone_typed_at_the_intake_are_one_alert_on_review_and_the_case_page(window, qtbot, context):
    wiz = start(window, qtbot)
    patient_step(qtbot, wiz, sex_letter="m")
    to_review(qtbot, wiz, medicine=None)
    key(qtbot, Qt.Key_Left, Qt.AltModifier)  # Back to the medicines step
    qtbot.waitUntil(lambda: wiz.index == 5)
    _add_medicine(qtbot, wiz, "codeine", "240")
    _add_medicine(qtbot, wiz, "oxycodone", "40")
    names = [m["name"] for m in wiz.pages[5].medicines()[0]]
    assert names == ["codeine", "oxycodone"]
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: wiz.index == 6)
    review = wiz.pages[6]
    banner = review.medicine_alerts
    assert banner.isVisibleTo(review)
    text = banner.text()
    assert "Two different opioids at once (codeine and oxycodone): together 96 MME/day" in text
    assert "do not stop" in text and "Stop it" not in text
    page = review.browser.toPlainText()
    assert "280" not in page  # never the milligrams of two opioids added up
    assert "codeine 240 mg/day, oxycodone 40 mg/day" in page
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)  # Save case
    qtbot.waitUntil(lambda: window.patient_view.case_id is not None)
    assert window.patient_view.medicine_alert_banner.text() == text  # one banner, one wording
