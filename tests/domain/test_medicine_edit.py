"""Reading a corrected medicine list (medfix, H-MED-621): the intake's own bounds, each bad row named."""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.intake import MIN_DAILY_DOSE_MG, Medicine
from radiculopathy_desktop.domain.medicine_edit import MAX_DOSE_MG, medicine_changes, read_rows


def test_rows_are_read_as_the_intake_keeps_them():
    meds, problems = read_rows([("Naproxen ", " 1000"), ("", ""), ("paracetamol", "")])
    assert problems == []
    assert meds == (Medicine("naproxen", 1000.0), Medicine("paracetamol", None))


@pytest.mark.parametrize("dose, ok", [(str(MIN_DAILY_DOSE_MG), True), ("0.009", False), ("0", False),
                                      ("-1", False), (str(MAX_DOSE_MG), True), ("100000.5", False)])
def test_the_dose_bounds_are_the_intakes(dose, ok):
    meds, problems = read_rows([("gabapentin", dose)])
    assert (problems == []) is ok
    if not ok:
        assert problems[0].message.startswith("Row 1:") and meds == ()


@pytest.mark.parametrize("row, said", [(("", "500"), "generic name"), (("naproxen", "500 mg bd"), "number of mg"),
                                       (("x" * 81, ""), "longer than 80")])
def test_each_bad_row_is_named_by_its_number(row, said):
    _, problems = read_rows([("ibuprofen", "1200"), row])
    assert len(problems) == 1 and problems[0].message.startswith("Row 2:") and said in problems[0].message


def test_changes_name_added_removed_and_dose_changed():
    before = (Medicine("naproxen", 1000.0), Medicine("gabapentin", 900.0), Medicine("gabapentin", 300.0))
    after = (Medicine("gabapentin", 900.0), Medicine("gabapentin", 600.0), Medicine("codeine", None))
    assert medicine_changes(before, after) == {
        "added": [{"name": "codeine"}],
        "removed": [{"name": "naproxen", "daily_dose_mg": 1000.0}],
        "changed": [{"name": "gabapentin", "daily_dose_mg_before": 300.0, "daily_dose_mg_after": 600.0}]}
    assert medicine_changes(before, before) == {"added": [], "removed": [], "changed": []}
