"""The stepped care's Why says a combination of current medicines once (gp26 F3, H-UI-428).

gp26 on the case page of a 78-year-old taking co-codamol 30/500, pregabalin, diazepam,
diclofenac and apixaban: the Medicines row's Why read "... co-codamol 30/500: avoid (with
pregabalin); pregabalin: avoid (with co-codamol 30/500) ...", one combination twice. It now
names each alert once, a combination as the banner names it.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from radiculopathy_desktop.domain.intake import parse_case

from .conftest import TODAY, case_dict

MEDS = [{"name": "diclofenac", "daily_dose_mg": 150}, {"name": "apixaban", "daily_dose_mg": 10},
        {"name": "co-codamol 30/500", "daily_dose_mg": 240}, {"name": "diazepam", "daily_dose_mg": 15},
        {"name": "pregabalin", "daily_dose_mg": 600}]


def _medicines_why(text: str) -> str:
    ladder = text[text.index("Stepped care\n"):]
    start = ladder.index("3. Medicines")
    return ladder[start:ladder.index("4. Imaging", start)]


def test_the_medicines_row_says_each_combination_once_and_every_alert(window, qtbot, context):
    c = case_dict("P-WHY", "Wyn Why", 20, visits=[{"date": (TODAY - dt.timedelta(days=6)).isoformat(),
                                                     "leg_nrs": 6, "back_nrs": 4}])
    c["patient"]["age_years"] = 78
    c["medicines"] = MEDS
    context.store.import_cases([parse_case(c)], user="test")
    window.open_case("P-WHY-case")
    view = window.patient_view
    qtbot.waitUntil(lambda: view.medicine_alert_banner.isVisible())
    qtbot.keyClick(window, Qt.Key_S, Qt.AltModifier)  # the Stepped care tab
    assert view.tabs.currentWidget() is view.pathway
    why = " ".join(_medicines_why(view.pathway.toPlainText()).split())
    line = why[why.index("Review: "):why.index("(see the medicine alerts)")]
    assert line.count("co-codamol 30/500 with pregabalin: avoid") == 1
    # fold33 (H-MED-700): pregabalin's row has a reason of its own that no pair says (age 78 and a third CNS-active
    # medicine, Beers 2023), so it keeps its own item beside the pair; the pair is still said once (spell28, H-UI-433)
    assert line.count("; pregabalin: avoid") + line.startswith("Review: pregabalin: avoid") == 1
    assert line.count("pregabalin") == 2
    assert "(with" not in line
    assert line.count("diclofenac with apixaban: avoid") == 1
    assert "co-codamol 30/500 with diazepam: avoid" in line
    # one item per banner alert: none said twice, none left out
    items = line.removeprefix("Review: ").strip().split("; ")
    assert len(items) == len(set(items)) == view.medicine_alert_banner.text().count("<li>")
