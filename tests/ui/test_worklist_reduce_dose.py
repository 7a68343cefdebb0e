"""The worklist window shows "REDUCE DOSE" before the Why of a case whose current dose is
above this patient's maximum (issue 12 section 3), for the profile the window uses.

Gabapentin label renal table: CrCl 15-29 mL/min -> at most 700 mg/day.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from .conftest import case_dict, seed_cases


def _with_gabapentin(pid: str, name: str, dose: float) -> dict:
    d = case_dict(pid, name, 50)
    d["conditions"] = {"egfr": 20}
    d["medicines"] = [{"name": "gabapentin", "daily_dose_mg": dose}]
    return d


@pytest.fixture
def store(tmp_path):
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.storage.store import CaseStore
    extra = [_with_gabapentin("P-HIGH", "Hal High", 701), _with_gabapentin("P-ATMAX", "Amy At-max", 700)]
    s = CaseStore.open(tmp_path / "data")
    s.import_cases([parse_case(c) for c in seed_cases() + extra], user="test")
    yield s
    s.close()


@pytest.mark.parametrize("profile", ["us", "uk"])
def test_reduce_dose_leads_the_why_column(window, qtbot, profile):
    # Under uk NICE does not offer gabapentinoids (avoid), and the dose is still checked
    # against this patient's renal maximum, not the label's.
    view = window.views["worklist"]
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=3000)
    model = view.model
    model.profile = profile
    model.reload()
    why = next(i for i in range(model.columnCount()) if model.headerData(i, Qt.Horizontal) == "Why")
    rows = {model.rows[r].case_id: model.data(model.index(r, why)) for r in range(model.rowCount())}
    assert rows["P-HIGH-case"].startswith("REDUCE DOSE: gabapentin 701 mg/day > max 700 mg/day. ")
    assert not rows["P-ATMAX-case"].startswith("REDUCE DOSE")
    assert sum(v.startswith("REDUCE DOSE") for v in rows.values()) == 1
