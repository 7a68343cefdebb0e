"""The opioid-total alert says what it asks in the window (mme22, H-MED-353, H-MED-354): a stable
patient on morphine 30mg bd (60 MME/day) typed at the intake reads "Reassess opioid dose" on
Review's banner, the saved case page's banner, the Stepped-algorithm medicine table and the
worklist's Why; never "Avoid", which a colleague may read as "stop the morphine".

CDC 2016 recommendation 5 (sources.toml cdc-2022-dosage): "should carefully reassess evidence of
individual benefits and risks when considering increasing dosage to >=50 morphine milligram
equivalents (MME)/day, and should avoid increasing dosage to >=90 MME/day or carefully justify a
decision to titrate dosage to >=90 MME/day"; CDC 2022 recommendation 5: opioid therapy "should not
be discontinued abruptly". CDC to ASAM, 2018 (cdc-2022-methadone, as quoted by the AMA): the
thresholds should not "guide dosing of medication-assisted treatment for opioid-use disorder".
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from .test_pregnancy_intake import key, patient_step, start, to_review
from .test_two_opioids_window import _add_medicine


@pytest.mark.parametrize("mg, label, absent", [
    ("49", None, None), ("60", "Reassess opioid dose", "Avoid"), ("90", "High opioid dose", "Avoid"),
])
def test_morphine_typed_at_the_intake_carries_the_label_on_review_and_the_case_page(window, qtbot, context,
                                                                                     mg, label, absent):
    wiz = start(window, qtbot)
    patient_step(qtbot, wiz, sex_letter="m")
    to_review(qtbot, wiz, medicine=None)
    key(qtbot, Qt.Key_Left, Qt.AltModifier)  # Back to the medicines step
    qtbot.waitUntil(lambda: wiz.index == 5)
    _add_medicine(qtbot, wiz, "morphine", mg)
    assert [m["name"] for m in wiz.pages[5].medicines()[0]] == ["morphine"]
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: wiz.index == 6)
    review = wiz.pages[6]
    text = review.medicine_alerts.text()
    if label is None:
        assert "current opioids total" not in text
        return
    assert f"{label}:" in text or f"{label.upper()}:" in text
    assert f"{absent}:" not in text and f"{absent.upper()}:" not in text
    assert "avoid for this patient" not in text
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)  # Save case
    qtbot.waitUntil(lambda: window.patient_view.case_id is not None)
    assert window.patient_view.medicine_alert_banner.text() == text  # one banner, one wording
    page = " ".join(window.patient_view.pathway.toPlainText().split())
    medicines = page[page.index("Medicines Kidney function"):]
    row = medicines[medicines.index("Opioids (other than tramadol)"):medicines.index("Tramadol")]
    badge = row.split("·")[0]  # "Opioids (other than tramadol) Opioid <status> · taking now"
    assert badge.strip().endswith(label) and "Avoid" not in badge
    # the worklist's Why leads with the same label (its marks are the stored spans, made on save)
    case_id = window.patient_view.case_id
    view = window.views["worklist"]
    from radiculopathy_desktop.ui.worklist import OPEN_STATUSES

    view.model.set_filter(statuses=OPEN_STATUSES)  # every open case, as the status filter's "all open"
    view.model.reload()
    qtbot.waitUntil(lambda: any(r.case_id == case_id for r in view.model.rows), timeout=5000)
    model = view.model
    why = next(i for i in range(model.columnCount()) if model.headerData(i, Qt.Horizontal) == "Why")
    (shown,) = [model.data(model.index(r, why)) for r in range(model.rowCount()) if model.rows[r].case_id == case_id]
    assert f"{label.upper()}: morphine." in shown and "AVOID" not in shown
