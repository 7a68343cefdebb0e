"""The window says how a combination product's daily dose is read, as it is typed, and the
patient's medicine table checks each component (G17; H-MED-214).

Entry (the window's "Daily dose (mg a day)" takes one number per product): for co-codamol 30/500 the
daily mg of one component; the strength in the name gives each component's mg (NHS: at most 8
co-codamol tablets in 24 hours, 4000 mg of paracetamol; acetaminophen label: do not exceed
4000 mg in 24 hours). A dose that cannot be read is "check the dose"; nothing typed is changed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from tests.ui.keyboard import focus, type_here
from tests.ui.test_medicine_table import _open


def _type_cell(qtbot, page, row, column, text):
    page.meds.setCurrentCell(row, column)
    page.meds.setFocus()
    qtbot.keyClick(page.meds, Qt.Key_F2)  # edit the cell, then type as a clinician would
    type_here(qtbot, text)
    qtbot.keyClick(focus(), Qt.Key_Return)


def test_the_intake_says_how_a_combination_dose_is_read_as_it_is_typed(window, qtbot):
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    wiz = window.views["intake"]
    wiz._go(5)  # the "Conditions and medicines" step
    page = wiz.pages[5]
    assert "combination product" in page.meds.horizontalHeaderItem(1).toolTip()
    qtbot.mouseClick(next(b for b in page.findChildren(QPushButton) if b.accessibleName() == "Add medicine row"),
                     Qt.LeftButton)
    _type_cell(qtbot, page, 0, 0, "Co-codamol 30/500")
    qtbot.waitUntil(lambda: page.meds_combination.isVisible())
    assert "for its dose, type the daily mg of one component" in page.meds_combination.text()
    _type_cell(qtbot, page, 0, 1, "6000")
    qtbot.waitUntil(lambda: "12 tablets" in page.meds_combination.text())
    assert ("read as 12 tablets a day of 30/500 (codeine 360 mg, acetaminophen 6000 mg a day)"
            in page.meds_combination.text())
    # typing something that is not a whole number of tablets: said, never changed
    _type_cell(qtbot, page, 0, 1, "8")
    qtbot.waitUntil(lambda: page.meds_combination.text().startswith("Check the dose"))
    assert "not a whole number of 30/500 tablets" in page.meds_combination.text()
    assert page.medicines()[0] == [{"name": "Co-codamol 30/500", "daily_dose_mg": 8.0}]
    # no strength in the name
    _type_cell(qtbot, page, 0, 0, "co-codamol")
    qtbot.waitUntil(lambda: "gives no strength" in page.meds_combination.text())
    # a single medicine: nothing to read, but the 8 still typed is 8 mg a day of paracetamol, far below
    # any usual dose (grams, H-UI-443: a tenth of the 325 mg tablet), so it is asked about until corrected
    _type_cell(qtbot, page, 0, 0, "paracetamol")
    qtbot.waitUntil(lambda: "far below any usual dose" in page.meds_combination.text())
    assert "8 g = 8000 mg, above the label maximum" in page.meds_combination.text()
    _type_cell(qtbot, page, 0, 1, "800")
    qtbot.waitUntil(lambda: not page.meds_combination.isVisible())


def test_the_medicine_table_checks_paracetamol_from_both_products(window, qtbot, store):
    text = _open(window, qtbot, store, [{"name": "paracetamol", "daily_dose_mg": 2000},
                                        {"name": "co-codamol 30/500", "daily_dose_mg": 4000}])
    medicines = text[text.index("Medicines Kidney function"):]
    row = medicines[medicines.index("Acetaminophen (paracetamol)"):medicines.index("Cyclobenzaprine")]
    assert "ABOVE MAXIMUM" in row and "Reduce dose: current dose 6000 mg/day is above the label maximum of 4000" in row
    assert "read as 8 tablets a day of 30/500 (codeine 240 mg, acetaminophen 4000 mg a day)" in row


def test_the_patient_page_and_the_referral_summary_say_how_a_combination_dose_was_read(window, qtbot, store):
    """Before: "Taking now: co-codamol 30/500 240 mg a day", which reads as 240 mg of the whole
    tablet; now the tablets and each component's mg, the same as the medicine check."""
    text = _open(window, qtbot, store, [{"name": "co-codamol 30/500", "daily_dose_mg": 240},
                                        {"name": "co-codamol", "daily_dose_mg": 4000}])
    assert ("Taking now: co-codamol 30/500 240 mg a day (8 tablets a day of 30/500: codeine 240 mg, "
            "acetaminophen 4000 mg)") in text
    assert "Taking now: co-codamol 4000 mg a day (check the dose: the name gives no strength" in text
