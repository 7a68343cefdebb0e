"""gptry (H-UI-436): the worklist's Why under the table said "Contraindicated: arthrotec 50 bd." and then
"Contraindicated: arthrotec 50 bd. Stop it and choose another option." for a patient at 31 weeks on
Arthrotec: misoprostol's Contraindicated (its action is in its reason: misoprostol label, boxed
warning) and the NSAID class's (FDA Drug Safety Communication, 15 October 2020; rule
nsaid-pregnancy-30) are two alerts on one medicine with one label. The GP clicks Medicine alerts and
the row: the medicine is said once with its action; misoprostol alone keeps its line."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from .conftest import case_dict, seed_cases


def _pregnant(pid, weeks, medicines):
    d = case_dict(pid, "Gabi " + pid, 0)
    d["patient"]["pregnancy_weeks"] = weeks
    d["medicines"] = [{"name": n} for n in medicines]
    return d


@pytest.fixture
def store(tmp_path):
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.storage.store import CaseStore
    extra = [_pregnant("ARTH-31", 31, ["Arthrotec 50 1-2 tabs bd"]), _pregnant("MISO-12", 12, ["misoprostol 200mcg qds"])]
    s = CaseStore.open(tmp_path / "data")
    s.import_cases([parse_case(c) for c in seed_cases() + extra], user="test")
    yield s
    s.close()


def _why_under_the_table(qtbot, view, case_id) -> list[str]:
    row = next(r for r in range(view.model.rowCount()) if view.model.rows[r].case_id == case_id)
    view.table.setFocus()
    view.table.selectRow(row)
    return view.why_label.text().split("\n")


def test_one_medicine_with_one_label_is_said_once_with_its_action(window, qtbot):
    view = window.views["worklist"]
    qtbot.waitUntil(lambda: view.counts_as_of is not None, timeout=3000)
    qtbot.mouseClick(view.medicines_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not view.model.reading, timeout=10000)
    lines = _why_under_the_table(qtbot, view, "ARTH-31-case")
    # forms29: "Arthrotec 50 bd" is read now (2 tablets of 50/200 a day); a range of tablets keeps a dose to check
    contraindicated = [line for line in lines if line.startswith("Contraindicated: arthrotec 50 1-2 tabs bd.")]
    assert contraindicated == ["Contraindicated: arthrotec 50 1-2 tabs bd. Stop it and choose another option."]
    assert "Check the dose: arthrotec 50 1-2 tabs bd." in lines  # another label: kept
    miso = _why_under_the_table(qtbot, view, "MISO-12-case")
    # its only alert: kept, with its action (handout29, H-UI-444: the line had none)
    assert "Contraindicated: misoprostol 200mcg qds. Stop it and choose another option." in miso
