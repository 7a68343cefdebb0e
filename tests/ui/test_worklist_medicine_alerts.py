"""The worklist tells a GP about medicine-safety alerts and a pregnancy, not only surgical review
(wl17; gp16 F6: "Needs attention (0)" with PREG-1, 33 weeks pregnant and taking ibuprofen, under
"Not due" with no mark).

FDA Drug Safety Communication, 15 October 2020 (resources/medicines/sources.toml
``fda-nsaid-pregnancy-2020``): NSAID labels advise against use "at 30 weeks and later in pregnancy
because of the additional risk of premature closure of the fetal ductus arteriosus". Past 42
completed weeks (postterm, ``acog-postterm``, ACOG Practice Bulletin 146) a recorded pregnancy is
asked about (preg16's rule).
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from .conftest import TODAY, case_dict, seed_cases
from .window_steps import why_cells


def _pregnant(pid, name, care_days_ago, weeks, medicines=()):
    d = case_dict(pid, name, care_days_ago)
    d["patient"]["pregnancy_weeks"] = weeks  # recorded on the intake's visit date
    d["medicines"] = list(medicines)
    return d


@pytest.fixture
def store(tmp_path):
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.storage.store import CaseStore
    extra = [
        # gp16 F6: 32 weeks at the intake 10 days ago, 33 weeks today, taking Nurofen: not due for review
        _pregnant("PREG-1", "Pia Pregnant", 10, 32, [{"name": "ibuprofen", "daily_dose_mg": 1200}]),
        # recorded at 18 weeks 200 days ago: 46 weeks today, past the plausible end; no medicine
        _pregnant("PREG-OLD", "Olive Older", 200, 18),
        # 29 weeks today (recorded 28 a week ago), ibuprofen: avoid, not yet contraindicated
        _pregnant("PREG-29", "Tess Twentynine", 7, 28, [{"name": "ibuprofen", "daily_dose_mg": 1200}]),
    ]
    s = CaseStore.open(tmp_path / "data")
    s.import_cases([parse_case(c) for c in seed_cases() + extra], user="test")
    yield s
    s.close()


def _counts_shown(qtbot, view):
    qtbot.waitUntil(lambda: view.counts_as_of is not None, timeout=3000)


def _listed(qtbot, view):
    """The Medicine alerts list is read in a worker (st21): its rows once the read has ended."""
    qtbot.waitUntil(lambda: not view.model.reading, timeout=10000)


_why = why_cells


def _tip(view, case_id) -> str:
    column = next(i for i in range(view.model.columnCount()) if view.model.headerData(i, Qt.Horizontal) == "Why")
    row = next(r for r in range(view.model.rowCount()) if view.model.rows[r].case_id == case_id)
    return view.model.data(view.model.index(row, column), Qt.ToolTipRole)


def test_the_review_filter_says_what_it_counts_and_medicine_alerts_are_counted_beside_it(window, qtbot):
    view = window.views["worklist"]
    _counts_shown(qtbot, view)
    assert view.all_button.text() == "Surgical review (5)"  # the seed's 4 and PREG-OLD (overdue)
    assert "It does not count medicine-safety alerts: see Medicine alerts" in view.all_button.toolTip()
    assert "Immediate" in view.all_button.toolTip() and "Upcoming" in view.all_button.toolTip()
    assert view.medicines_button.text() == "Medicine alerts (2)"  # PREG-1 contraindicated, PREG-29 avoid
    assert view.medicines_button.accessibleName() == "Show medicine alerts: 2 cases"
    assert "contraindicated, avoid, reduce dose or check the dose" in view.medicines_button.toolTip()


def test_clicking_medicine_alerts_lists_the_pregnant_patient_on_ibuprofen_with_the_marker(window, qtbot):
    view = window.views["worklist"]
    _counts_shown(qtbot, view)
    qtbot.mouseClick(view.medicines_button, Qt.LeftButton)
    assert view.medicines_button.isChecked()
    _listed(qtbot, view)
    why = _why(view)
    assert set(why) == {"PREG-1-case", "PREG-29-case"}
    assert why["PREG-1-case"].startswith("CONTRAINDICATED: ibuprofen. PREGNANT 33 WK. ")
    assert why["PREG-29-case"].startswith("AVOID: ibuprofen. PREGNANT 29 WK. ")
    tip = _tip(view, "PREG-1-case")
    assert "Contraindicated: ibuprofen. Stop it and choose another option." in tip
    assert f"Pregnant, 33 weeks on {TODAY.isoformat()} (32 at the intake on " in tip
    # the line under the table says it all for the highlighted patient
    row = next(r for r in range(view.model.rowCount()) if view.model.rows[r].case_id == "PREG-1-case")
    view.table.setFocus()
    view.table.selectRow(row)
    assert "Stop it and choose another option." in view.why_label.text()
    # Enter opens her case
    opened = []
    view.open_case.connect(opened.append)
    qtbot.keyClick(view.table, Qt.Key_Return)
    assert opened == ["PREG-1-case"]


def test_the_filter_by_keyboard_and_a_search_that_matches_nothing(window, qtbot):
    view = window.views["worklist"]
    _counts_shown(qtbot, view)
    view.medicines_button.setFocus()
    qtbot.keyClick(view.medicines_button, Qt.Key_Space)
    _listed(qtbot, view)
    assert view.medicines_button.isChecked() and len(_why(view)) == 2
    # a search finds a patient whatever the filter; a wrong name finds none and says so
    view.search_box.setFocus()
    qtbot.keyClicks(view.search_box, "zzz-nobody")
    qtbot.keyClick(view.search_box, Qt.Key_Return)
    qtbot.waitUntil(lambda: view.model.search == "zzz-nobody" and not view.model.reading)  # read in a worker (st21 leftover)
    assert view.model.rowCount() == 0
    assert "No case matches this search" in view.empty_label.text()
    view.search_box.clear()
    qtbot.keyClick(view.search_box, Qt.Key_Return)
    qtbot.waitUntil(lambda: view.model.search == "")
    _listed(qtbot, view)
    assert set(_why(view)) == {"PREG-1-case", "PREG-29-case"}  # the filter was kept
    # a searched patient outside the filter is said to be outside it
    qtbot.keyClicks(view.search_box, "Nell")
    qtbot.keyClick(view.search_box, Qt.Key_Return)
    qtbot.waitUntil(lambda: view.model.search == "Nell" and not view.model.reading)  # read in a worker (st21 leftover)
    assert "Medicine alerts" in view.search_note.text() and "outside this filter" in view.search_note.text()
    # back to the review list by a click
    view.search_box.clear()
    qtbot.keyClick(view.search_box, Qt.Key_Return)
    qtbot.mouseClick(view.all_button, Qt.LeftButton)
    assert "PREG-1-case" not in _why(view)


def test_a_pregnancy_past_42_weeks_asks_whether_she_is_still_pregnant(window, qtbot):
    view = window.views["worklist"]
    _counts_shown(qtbot, view)
    rows = _why(view)  # PREG-OLD is overdue for review: on the default list
    assert "ASK: STILL PREGNANT?" in rows["PREG-OLD-case"]
    assert "Ask whether she is still pregnant or breastfeeding" in _tip(view, "PREG-OLD-case")
    assert "recorded at 18 weeks on" in _tip(view, "PREG-OLD-case")
    assert "PREGNANT" not in rows["P-DUE-case"] and "P-DUE-case" not in {
        r.case_id for r in view.model.rows if r.medicine_alerts}


def test_the_counts_follow_the_worklist_date(window, qtbot, context, monkeypatch):
    """29 weeks today is Avoid; a week later the same patient is contraindicated (as her case page)."""
    view = window.views["worklist"]
    _counts_shown(qtbot, view)
    monkeypatch.setattr(context, "today", lambda: TODAY + dt.timedelta(days=7))
    view.refresh()
    qtbot.waitUntil(lambda: view.counts_as_of == TODAY + dt.timedelta(days=7), timeout=3000)
    qtbot.mouseClick(view.medicines_button, Qt.LeftButton)
    _listed(qtbot, view)
    assert _why(view)["PREG-29-case"].startswith("CONTRAINDICATED: ibuprofen. PREGNANT 30 WK. ")
