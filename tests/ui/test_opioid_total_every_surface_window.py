"""The patient's own opioid total in the window (mme23, H-MED-409, H-MED-411), typed at the intake
as a user would.

* Worklist Why: morphine 60 mg/day with diazepam 10 mg/day is rated Avoid (an opioid with a
  benzodiazepine); the Why said "AVOID: morphine, diazepam." and lost the 60 MME/day the case page
  gives. It now also says the total (CDC 2016 recommendation 5: "carefully reassess ... >=50
  MME/day"; sources.toml cdc-2022-dosage). mmefold34 (H-UI-533): the Avoid is the pair's, said once;
  the morphine row says "REASSESS OPIOID DOSE: morphine. Current opioids total 60 MME/day.", as
  without diazepam (it said "AVOID: morphine." too, one hazard read as two).
* Medicine table: with oxycodone 80 mg/day (x 1.5 = 120 MME/day, CDC 2022 table) the opioid row
  taken now reads "High opioid dose"; tramadol, not taken, is rated Avoid for adding an opioid at
  that total and reads "Avoid" (it read "High opioid dose", the patient's own total).
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from .test_pregnancy_intake import key, patient_step, start, to_review
from .test_two_opioids_window import _add_medicine


def _typed_and_saved(window, qtbot, medicines):
    wiz = start(window, qtbot)
    patient_step(qtbot, wiz, sex_letter="m")
    to_review(qtbot, wiz, medicine=None)
    key(qtbot, Qt.Key_Left, Qt.AltModifier)  # Back to the medicines step
    qtbot.waitUntil(lambda: wiz.index == 5)
    for name, mg in medicines:
        _add_medicine(qtbot, wiz, name, mg)
    assert [m["name"] for m in wiz.pages[5].medicines()[0]] == [name for name, _mg in medicines]
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: wiz.index == 6)
    review_text = wiz.pages[6].medicine_alerts.text()
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)  # Save case
    qtbot.waitUntil(lambda: window.patient_view.case_id is not None)
    return review_text


def test_worklist_why_says_the_total_beside_avoid(window, qtbot, context):
    review = " ".join(_typed_and_saved(window, qtbot, [("morphine", "60"), ("diazepam", "10")]).split())
    # mmefold34 (H-MED-706): the benzodiazepine is said by the pair alone; the morphine row says its total under
    # the total's own label (it read "(Reassess opioid dose: current opioids total 60 MME/day): avoid for this
    # patient: Taking diazepam (benzodiazepine) ...", a second Avoid for the one hazard)
    assert "avoid combining with an opioid" not in review
    assert "Taking morphine with diazepam" in review and "current opioids total 60 MME/day" in review
    # the case page's banner: two alerts, one of them Avoid
    banner = window.patient_view.medicine_alert_banner
    qtbot.waitUntil(banner.isVisible)
    said = " ".join(banner.text().split())
    assert said.count("<li>") == 2, said
    assert "avoid combining with an opioid" not in said and said.count("60 MME/day") >= 1
    case_id = window.patient_view.case_id
    view = window.views["worklist"]
    from radiculopathy_desktop.ui.worklist import OPEN_STATUSES

    view.model.set_filter(statuses=OPEN_STATUSES)
    view.model.reload()
    qtbot.waitUntil(lambda: any(r.case_id == case_id for r in view.model.rows), timeout=5000)
    model = view.model
    why = next(i for i in range(model.columnCount()) if model.headerData(i, Qt.Horizontal) == "Why")
    (row,) = [r for r in range(model.rowCount()) if model.rows[r].case_id == case_id]
    shown = model.data(model.index(row, why))
    # mtxavoid (H-UI-528): the pair is said as the combination reviewed with the prescriber, never "AVOID: morphine,
    # diazepam."; mmefold34 (H-UI-533): and once: no "AVOID: morphine." beside it, the total under its own label
    assert shown.startswith("AVOID: morphine and diazepam together (review both with the prescriber). "
                            "REASSESS OPIOID DOSE: morphine. Current opioids total 60 MME/day."), shown
    assert shown.count("AVOID:") == 1 and shown.count("60 MME/day") == 1
    tip = model.data(model.index(row, why), Qt.ToolTipRole)
    assert "Reassess opioid dose: morphine. Current opioids total 60 MME/day. Review now" in tip
    assert tip.count("Avoid: ") == 1 and "do not stop morphine suddenly" in tip


def test_the_medicine_table_labels_tramadol_not_taken_by_its_own_rating(window, qtbot, context):
    review = _typed_and_saved(window, qtbot, [("oxycodone", "80")])
    assert "HIGH OPIOID DOSE" in review.upper()
    page = " ".join(window.patient_view.pathway.toPlainText().split())
    medicines = page[page.index("Medicines Kidney function"):]
    opioid = medicines[medicines.index("Opioids (other than tramadol)"):medicines.index("Tramadol")]
    assert opioid.split("·")[0].strip().endswith("High opioid dose")
    tramadol = medicines[medicines.index("Tramadol"):]  # "Tramadol Opioid <status> <maximum> <reasons>"
    assert tramadol.startswith("Tramadol Opioid Avoid label maximum"), tramadol[:80]
