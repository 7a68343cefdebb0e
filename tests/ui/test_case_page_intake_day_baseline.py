"""A score re-recorded on the intake's own day is the baseline, and the case page says so (rt21 F5;
H-FU-352).

Before: the window's same-day question said "Of two visits on one day, the later's scores stand
for that day", but a second record of the intake's day changed nothing: the baseline stayed the
intake's and the page did not say which scores Progress was measured from. Now, added by keys
from the case page's "Add follow-up visit" on the intake's day ("Add a second visit that day",
Alt+S), the status says "Baseline: leg pain 7 at intake, re-recorded 3 the same day", the chart's
improvement line is drawn from 3, and the worklist's Progress reads 3.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.vocab import ReviewStatus

from .conftest import TODAY, case_dict
from .keyboard import focus, type_here
from .test_case_page_same_day_visit import _box
from .test_intake_pregnancy_carried import _visit_dialog

PID, CASE = "P-BL", "P-BL-case"


def _open_and_add(window, qtbot, context, leg: str):
    context.store.import_cases([parse_case(case_dict(PID, "Bea Baseline", 0, leg=7))], user="test")
    window.open_case(CASE)
    qtbot.waitUntil(lambda: window.patient_view.case_id == CASE and window.patient_view.isVisible())
    assert "Baseline:" not in window.patient_view.status.text()
    window.patient_view.visit_button.setFocus()
    qtbot.keyClick(window.patient_view.visit_button, Qt.Key_Space)  # Add follow-up visit
    dialog = _visit_dialog(qtbot)
    qtbot.keyClick(focus(), Qt.Key_L, Qt.AltModifier)  # &Leg pain now
    type_here(qtbot, leg)
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Save
    box = _box(qtbot, dialog)  # the intake's day already has a record: asked first
    assert "not a follow-up" in box.informativeText() and "become the baseline" in box.informativeText()
    qtbot.keyClick(box, Qt.Key_S, Qt.AltModifier)  # Add a &second visit that day
    qtbot.waitUntil(lambda: not dialog.isVisible())
    return window.patient_view


def test_a_score_re_recorded_on_the_intakes_day_is_named_as_the_baseline(window, qtbot, context):
    view = _open_and_add(window, qtbot, context, "3")
    qtbot.waitUntil(lambda: "Baseline:" in view.status.text())
    assert "Baseline: leg pain 7 at intake, re-recorded 3 the same day." in view.status.text()
    assert view.timeline.chart.improvement_line == 1  # 3 minus the 2-point MCID, not 7 minus 2
    row = {r.case_id: r for r in context.store.worklist(TODAY, statuses=list(ReviewStatus))}[CASE]
    assert (row.baseline_leg_nrs, bool(row.has_follow_up)) == (3, False)


def test_the_same_score_again_on_the_intakes_day_is_not_named(window, qtbot, context):
    """Just at the boundary: a second record of the same leg pain changes no baseline."""
    view = _open_and_add(window, qtbot, context, "7")
    qtbot.waitUntil(lambda: len(context.store.get_case(CASE).visits) == 1)
    qtbot.waitUntil(lambda: view.case is not None and len(view.case.visits) == 1)
    assert "Baseline:" not in view.status.text()


def _what_column(view) -> list[str]:
    table = view.timeline.table
    return [table.item(row, 2).text() for row in range(table.rowCount())]


def test_the_visits_list_calls_the_intake_day_record_what_it_is(window, qtbot, context):
    """rt21 F9: the Visits list said "Follow-up visit" under "no scored follow-up visit"."""
    view = _open_and_add(window, qtbot, context, "3")
    qtbot.waitUntil(lambda: view.timeline.table.rowCount() == 2)
    # gp20 F11: each record of the intake's day says which baseline scores it gives
    assert _what_column(view) == ["Intake, re-recorded the same day (baseline for back pain, ODI)",
                                  "Same day as intake (not a follow-up) (baseline for leg pain)"]
    assert context.store.review(CASE, TODAY).facts.has_follow_up is False  # as the list now says
