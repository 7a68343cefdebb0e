"""sheet3 (H-UI-509, tryout31 D9): the handout dialog listed the 16 g/day paracetamol sheet as "(reduce dose)" when
co-codamol was also listed; the sheet is now the far-above-maximum one, and the dialog says so. Boundary: a total
of 12000 mg over the two products (at the slip bound) keeps "(reduce dose)"."""

from __future__ import annotations

import pytest

from .conftest import case_dict
from .handout_dialog import case_sheet_item


@pytest.mark.parametrize("pid, meds, words", [
    ("S3-GP", [{"name": "paracetamol 16000 mg/day"}, {"name": "co-codamol 30/500 3 x 4"}],
     "(dose to check: far above the maximum)"),
    ("S3-12001", [{"name": "paracetamol 500mg", "daily_dose_mg": 8001},
                  {"name": "co-codamol 30/500", "daily_dose_mg": 4000}], "(dose to check: far above the maximum)"),
    ("S3-12000", [{"name": "paracetamol 500mg", "daily_dose_mg": 8000},
                  {"name": "co-codamol 30/500", "daily_dose_mg": 4000}], "(reduce dose)"),
])
def test_the_paracetamol_sheet_beside_co_codamol_is_labelled_by_its_dose(window, qtbot, context, pid, meds, words):
    c = case_dict(pid, "Cora " + pid, 20)
    c["medicines"] = meds
    dialog, item = case_sheet_item(window, qtbot, context, c, "med_acetaminophen")
    assert item.text().endswith(words), item.text()
    dialog.close()
