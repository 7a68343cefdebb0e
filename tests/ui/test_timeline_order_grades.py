"""The case timeline in entered order, with the muscle grades of each visit (gp14 G12).

G12: on a same-day pair the timeline showed visits before decisions whatever order they were
entered in (a decision recorded before the day's visit read as made after it), and the
muscle grades (MRC 0-5) recorded at visits were not shown at all. Now rows go by date, then
by the stored entry number (``domain.intake.entry_key``, the order the tracker's own rules
use), and each visit shows the grades that differ from the intake's, with the intake's.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from radiculopathy_desktop.domain.intake import Decision, FollowUpVisit, parse_case
from radiculopathy_desktop.domain.vocab import DecisionKind

from .conftest import NO_FLAGS, TODAY, case_dict


def _rows(window):
    table = window.patient_view.timeline.table
    return [tuple(table.item(r, c).text() for c in (0, 2, 5)) for r in range(table.rowCount())]


def _open(window, qtbot, case_id):
    window.context.hub.open_case.emit(case_id)  # as Enter on the worklist or Patients row does
    qtbot.waitUntil(lambda: window.patient_view is not None and window.patient_view.case_id == case_id)


def _graded_case(context):
    data = case_dict("P-MRC", "Mo Grades", 30, red_flags=NO_FLAGS)
    data["examination"] = {"power": {"ankle_dorsiflexion": 5, "great_toe_extension": 4}}
    context.store.import_cases([parse_case(data)], user="test")
    return data["case_id"]


def test_a_decision_entered_before_the_same_days_visit_is_shown_before_it(window, qtbot, context):
    store = context.store
    day = TODAY - dt.timedelta(days=1)
    store.record_decision("P-NFU-case", Decision(day, DecisionKind.CONTINUE_CONSERVATIVE_CARE,
                                                 until=TODAY + dt.timedelta(days=14)), "dr.a",
                          acknowledged_red_flags={})
    store.add_visit("P-NFU-case", FollowUpVisit(day, leg_nrs=5, back_nrs=3), "dr.a")
    store.add_visit("P-NFU-case", FollowUpVisit(day - dt.timedelta(days=3), leg_nrs=6, back_nrs=3), "dr.a")
    _open(window, qtbot, "P-NFU-case")
    rows = _rows(window)
    assert [(d, what) for d, what, _ in rows] == [
        ((TODAY - dt.timedelta(days=50)).isoformat(), "Intake (baseline)"),
        ((day - dt.timedelta(days=3)).isoformat(), "Follow-up visit"),  # entered last, dated earlier: by date
        (day.isoformat(), "Decision"),  # entered first on its day
        (day.isoformat(), "Follow-up visit"),
    ]


def test_a_visit_entered_before_the_same_days_decision_stays_before_it(window, qtbot, context):
    """The other way round (the boundary): the order entered, not the kind of record."""
    store = context.store
    day = TODAY - dt.timedelta(days=1)
    store.add_visit("P-NFU-case", FollowUpVisit(day, leg_nrs=5, back_nrs=3), "dr.a")
    store.record_decision("P-NFU-case", Decision(day, DecisionKind.CONTINUE_CONSERVATIVE_CARE,
                                                 until=TODAY + dt.timedelta(days=14)), "dr.a",
                          acknowledged_red_flags={})
    _open(window, qtbot, "P-NFU-case")
    assert [what for _, what, _ in _rows(window)] == ["Intake (baseline)", "Follow-up visit", "Decision"]


def test_each_visit_shows_the_grades_that_differ_from_the_intake(window, qtbot, context):
    case_id = _graded_case(context)
    store = context.store
    store.add_visit(case_id, FollowUpVisit(TODAY - dt.timedelta(days=10), leg_nrs=5,
                                           power={"ankle_dorsiflexion": 4, "great_toe_extension": 4,
                                                  "hip_flexion": 5}), "dr.a")
    store.add_visit(case_id, FollowUpVisit(TODAY - dt.timedelta(days=5), leg_nrs=4,
                                           power={"ankle_dorsiflexion": 5, "great_toe_extension": 4}), "dr.a")
    store.add_visit(case_id, FollowUpVisit(TODAY - dt.timedelta(days=2), leg_nrs=4), "dr.a")
    _open(window, qtbot, case_id)
    details = [detail for _, _, detail in _rows(window)]
    assert "MRC: Ankle dorsiflexion 5/5, Great-toe extension 4/5" in details[0]  # the intake's, to compare with
    assert "MRC: Hip flexion 5/5 (intake not graded), Ankle dorsiflexion 4/5 (intake 5/5)" in details[1]
    assert "Great-toe extension" not in details[1]  # 4 at both: not a difference
    assert "MRC as at the intake" in details[2]
    assert "MRC" not in details[3]  # not graded at that visit: nothing said
    # reachable from the keyboard: the table takes focus and moves row by row
    table = window.patient_view.timeline.table
    table.setFocus()
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key_Down)
    assert table.currentRow() == 1
