"""The Review step shows the medicine-safety banner the case page shows after Save (gp16 F2, H-UI-233).

A GP reviewing a patient 32 weeks pregnant taking ibuprofen saw only "Pregnancy", the triage and
"Now: 1. Self-care" at the top of Review and save; "Contraindicated · taking now" came two pages
down, and the red "Medicine safety" banner only after Save. FDA Drug Safety Communication 2020
(NSAIDs): avoid from 20 weeks of pregnancy; the NSAID labels: avoid from 30 weeks.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from .test_pregnancy_intake import key, patient_step, start, to_review


def test_review_shows_the_medicine_alert_above_the_assessment_as_the_case_page_does(window, qtbot, context):
    wiz = start(window, qtbot)
    patient_step(qtbot, wiz, answer_letter="y", weeks="32")
    review = to_review(qtbot, wiz)  # ibuprofen 1200 mg a day
    banner = review.medicine_alerts
    assert banner.isVisibleTo(review)
    before = banner.text()
    assert "Medicine safety: 1 current medicine to stop, change, reduce or review" in before
    assert "ibuprofen" in before.lower() and "30 weeks" in before
    assert banner.y() < review.browser.y()  # above the assessment, not two pages down
    assert "Medicine safety alerts:" in banner.accessibleName()

    key(qtbot, Qt.Key_Return, Qt.ControlModifier)  # Save case
    qtbot.waitUntil(lambda: window.patient_view.case_id is not None)
    assert window.patient_view.medicine_alert_banner.text() == before  # one banner, one wording


def test_no_banner_on_review_without_a_medicine_alert(window, qtbot):
    wiz = start(window, qtbot)
    patient_step(qtbot, wiz, answer_letter="n")
    review = to_review(qtbot, wiz, medicine=("paracetamol", "2000"))
    assert not review.medicine_alerts.isVisibleTo(review)
    assert review.medicine_alerts.text() == ""


def test_a_medicine_not_recognised_is_in_the_banner_on_review_and_on_the_case_page(window, qtbot, context):
    """gp17 F3: "paracetmol 1g qds" typed beside co-codamol (up to 8 g of paracetamol a day) was
    a grey line on the medicines step only; Review and the case page named the other medicines.
    A medicine the list does not know is checked for nothing: the banner names it, with its
    "did you mean"."""
    wiz = start(window, qtbot)
    patient_step(qtbot, wiz, answer_letter="n")
    review = to_review(qtbot, wiz, medicine=("paracetmol", "4000"))
    banner = review.medicine_alerts
    assert banner.isVisibleTo(review)
    text = banner.text()
    assert "Medicine safety: 1 not recognised" in text
    assert "“paracetmol” (did you mean paracetamol?): not checked" in text
    assert "Not recognised" in banner.accessibleName()
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)  # Save case
    qtbot.waitUntil(lambda: window.patient_view.case_id is not None)
    assert window.patient_view.medicine_alert_banner.text() == text  # one banner, one wording
