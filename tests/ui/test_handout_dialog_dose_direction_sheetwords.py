"""sheetwords F8 (H-UI-486): the handout dialog's words beside a medicine sheet follow the dose check's direction.

Before: a paracetamol dose far too LOW (5 mg a day: grams typed as milligrams?) was listed as "(reduce dose)",
the table's status, telling the clinician to lower a dose that is already far below any usual one. Now the label
says which way the recorded dose is off, as the medicine check's verdict does; a dose just above the maximum
keeps "reduce dose".
"""

from __future__ import annotations

import pytest

from .conftest import case_dict
from .handout_dialog import case_sheet_item


@pytest.mark.parametrize("pid, mg, words", [
    ("DD-LOW", 5, "(dose to check: far below usual)"),
    ("DD-FAR", 16000, "(dose to check: far above the maximum)"),
    ("DD-OVER", 5000, "(reduce dose)"),  # just above the 4000 mg maximum: a dose to lower
])
def test_the_paracetamol_sheets_label_follows_the_dose(window, qtbot, context, pid, mg, words):
    c = case_dict(pid, "Dora " + pid, 20)
    c["medicines"] = [{"name": "paracetamol", "daily_dose_mg": mg}]
    dialog, item = case_sheet_item(window, qtbot, context, c, "med_acetaminophen")
    assert item.text().endswith(words)
    if mg < 4000:
        assert "reduce dose" not in item.text()
    dialog.close()
