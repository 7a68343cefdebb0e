"""The window under the uk profile says "paracetamol": the intake's combination line as the dose
is typed, and the case page's medicine-safety banner (gp16 F7: "(codeine, acetaminophen)"); the
us profile keeps "acetaminophen" (uk17; H-MED-242). Nothing typed is changed.

Sources: UK SmPC for Paracetamol Tablets B.P. 500mg (emc 100828) 4.2, "Under no circumstances
must the daily dose of paracetamol exceed four grams in 24 hours"; NHS paracetamol for adults:
"Do not take more than 8 tablets in 24 hours"; NHS co-codamol: 500 mg of paracetamol a tablet.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from tests.ui.test_combination_dose_window import _type_cell
from tests.ui.test_medicine_table import _open


@pytest.mark.parametrize("profile, name, other", [("uk", "paracetamol", "acetaminophen"),
                                                  ("us", "acetaminophen", "paracetamol")])
def test_the_intake_names_the_components_for_the_profile(window, qtbot, profile, name, other):
    window.context.set_profile(profile)
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    wiz = window.views["intake"]
    wiz._go(5)  # the "Conditions and medicines" step
    page = wiz.pages[5]
    qtbot.mouseClick(next(b for b in page.findChildren(QPushButton) if b.accessibleName() == "Add medicine row"),
                     Qt.LeftButton)
    _type_cell(qtbot, page, 0, 0, "co-codamol 30/500")
    qtbot.waitUntil(lambda: "for its dose, type the daily mg of one component" in page.meds_combination.text())
    assert f"(codeine, {name})" in page.meds_combination.text()
    _type_cell(qtbot, page, 0, 1, "abc")  # a wrong dose: said at once (intakemed), nothing read
    qtbot.waitUntil(lambda: "Dose not read: Row 1: the daily dose must be a number of mg" in page.meds_combination.text())
    _type_cell(qtbot, page, 0, 1, "240")
    qtbot.waitUntil(lambda: "8 tablets" in page.meds_combination.text())
    assert f"{name} 4000 mg a day" in page.meds_combination.text()
    assert other not in page.meds_combination.text()
    assert page.medicines()[0] == [{"name": "co-codamol 30/500", "daily_dose_mg": 240.0}]  # as typed


@pytest.mark.parametrize("profile, name, other", [("uk", "paracetamol", "acetaminophen"),
                                                  ("us", "acetaminophen", "paracetamol")])
def test_the_case_page_banner_names_it_for_the_profile(window, qtbot, store, profile, name, other):
    window.context.set_profile(profile)
    _open(window, qtbot, store, [{"name": "co-codamol 30/500", "daily_dose_mg": 5000}])
    banner = window.patient_view.medicine_alert_banner
    qtbot.waitUntil(banner.isVisible)
    text = " ".join(banner.text().split())
    assert f"5000 mg/day of {name}" in text
    assert other not in text.replace("co-codamol", "")
