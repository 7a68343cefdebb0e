"""The worklist window shows "REDUCE DOSE" in the Why of a case whose current dose is
above this patient's maximum (issue 12 section 3), for the profile the window uses: first,
unless a red flag stands or a cauda equina question is unanswered (Immediate, Ask
red-flag questions), whose reason leads with the dose alert after it (red-team rt8 F2).

Gabapentin label renal table: CrCl 15-29 mL/min -> at most 700 mg/day.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from .conftest import case_dict, seed_cases


def _with_gabapentin(pid: str, name: str, dose: float, red_flags=None) -> dict:
    d = case_dict(pid, name, 50, red_flags=red_flags)
    d["conditions"] = {"egfr": 20}
    d["medicines"] = [{"name": "gabapentin", "daily_dose_mg": dose}]
    return d


@pytest.fixture
def store(tmp_path):
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.storage.store import CaseStore
    extra = [_with_gabapentin("P-HIGH", "Hal High", 701), _with_gabapentin("P-ATMAX", "Amy At-max", 700),
             _with_gabapentin("P-CES", "Cora Ces", 1800,
                              {"saddle_anaesthesia": "yes", "urinary_retention_or_incontinence": "yes"}),
             _with_gabapentin("P-ASK", "Asa Ask", 1800, {"saddle_anaesthesia": "unknown"})]
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
    # under uk the case page rates gabapentin Avoid (NICE does not offer it): that medicine alert
    # leads the Why, before the dose text (wl17); under us only the dose is above the maximum
    lead = "AVOID: gabapentin. " if profile == "uk" else ""
    assert rows["P-HIGH-case"].startswith(f"{lead}REDUCE DOSE: gabapentin 701 mg/day > max 700 mg/day. ")
    assert not rows["P-ATMAX-case"].startswith(f"{lead}REDUCE DOSE")
    assert rows["P-ATMAX-case"].startswith(lead)
    assert sum(v.startswith(f"{lead}REDUCE DOSE") for v in rows.values()) == 1
    # a red flag leads; the dose alert follows it, whole
    statuses = {model.rows[r].case_id: model.rows[r].status.value for r in range(model.rowCount())}
    assert statuses["P-CES-case"] == "immediate" and statuses["P-ASK-case"] == "ask_red_flags"
    for case_id in ("P-CES-case", "P-ASK-case"):
        reason = next(str(r.reason) for r in model.rows if r.case_id == case_id)
        assert reason and rows[case_id] == f"{reason} {lead}REDUCE DOSE: gabapentin 1800 mg/day > max 700 mg/day."
    assert "cauda equina" in rows["P-CES-case"].split("REDUCE DOSE")[0].lower()


def test_the_why_column_alone_changes_the_stored_reason_and_alerts_stay_apart(window, qtbot):
    """The order is the window's Why text only: the rows (and so worklist JSON and CSV) keep
    the reason and the dose alerts in their own fields."""
    view = window.views["worklist"]
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=3000)
    row = next(r for r in view.model.rows if r.case_id == "P-CES-case")
    assert not str(row.reason).startswith("REDUCE") and "REDUCE" not in str(row.reason)
    assert tuple(row.dose_alerts) == ("gabapentin 1800 mg/day > max 700 mg/day",)
