"""The intake window reads a combination product the name fixes, refuses a strength the product
is not sold in, and the patient page holds Ultracet to its own maximum (H-MED-223, H-MED-224).

Sources (resources/medicines/sources.toml): Ultracet US prescribing information, tramadol 37.5 mg
/ acetaminophen 325 mg tablets, "up to a maximum of 8 tablets per day"; FDA NDC listings of
acetaminophen 300 mg / codeine phosphate 30 mg tablets (Tylenol #3: the brand number read in
secondary pages [unverified]); NHS: "Co-codamol tablets and capsules come in 3 strengths", each
with 500 mg of paracetamol. Nothing typed is changed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from tests.ui.test_combination_dose_window import _type_cell
from tests.ui.test_medicine_table import _open


def test_the_intake_reads_ultracet_and_tylenol_3_and_refuses_a_reversed_co_codamol(window, qtbot):
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    wiz = window.views["intake"]
    wiz._go(5)  # the "Conditions and medicines" step
    page = wiz.pages[5]
    qtbot.mouseClick(next(b for b in page.findChildren(QPushButton) if b.accessibleName() == "Add medicine row"),
                     Qt.LeftButton)
    _type_cell(qtbot, page, 0, 0, "Ultracet")
    qtbot.waitUntil(lambda: "for its dose, type the daily mg of one component" in page.meds_combination.text())
    _type_cell(qtbot, page, 0, 1, "300")
    qtbot.waitUntil(lambda: "8 tablets" in page.meds_combination.text())
    assert ("read as 8 tablets a day of 37.5/325, the only strength ultracet is made in (tramadol 300 mg, "
            "acetaminophen 2600 mg a day)") in page.meds_combination.text()
    _type_cell(qtbot, page, 0, 0, "Tylenol #3")
    qtbot.waitUntil(lambda: "tylenol #3 recorded as 300 mg a day" in page.meds_combination.text())
    _type_cell(qtbot, page, 0, 1, "240")
    qtbot.waitUntil(lambda: "8 tablets a day of 30/300" in page.meds_combination.text())
    assert "read as 8 tablets a day of 30/300" in page.meds_combination.text()
    assert "(codeine 240 mg, acetaminophen 2400 mg a day)" in page.meds_combination.text()
    # the strength typed the wrong way round: said, never read as 500 mg of codeine, never changed
    _type_cell(qtbot, page, 0, 0, "co-codamol 500/30")
    qtbot.waitUntil(lambda: page.meds_combination.text().startswith("Check the dose"))
    assert "co-codamol is sold as 8/500, 12.8/500, 15/500, 30/500, not 500/30" in page.meds_combination.text()
    assert "30/500 is" in page.meds_combination.text()
    assert page.medicines()[0] == [{"name": "co-codamol 500/30", "daily_dose_mg": 240.0}]


def test_the_patient_page_holds_ultracet_to_its_own_eight_tablets(window, qtbot, store):
    text = _open(window, qtbot, store, [{"name": "Ultracet", "daily_dose_mg": 337.5}])
    assert "own label maximum of 8 tablets a day (tramadol 300 mg, acetaminophen 2600 mg)" in text
    assert "read as 9 tablets a day of 37.5/325" in text
