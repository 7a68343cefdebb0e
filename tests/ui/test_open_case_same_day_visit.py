""""Open case" from the intake onto a case that already has a record that day asks first, and a
carried pregnancy that differs from the one recorded that day is named, never put over it
(gp18 F4, data).

Before: PREG-A-2026-10-26 had a 2026-11-30 visit (29 weeks, leg 7, back 4, ODI 40). A new intake
for her typed 31 weeks; Open case carried the 31 weeks into a second 2026-11-30 visit without a
word: the latest answer (31) won and the latest scores lost back pain and ODI.
Now: "This case already has a visit that day" names that day's records; Go back (the default and
Esc) returns to the intake as typed, nothing added; "Add a second visit that day" (Alt+S) opens the
form with the pregnancy left unanswered and both weeks named. A day with no record opens the form
at once, as before, and an agreeing answer is carried.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.domain.intake import PregnancyUpdate, parse_case

from .conftest import TODAY, case_dict
from .keyboard import focus, type_here
from .test_intake_open_case import _open_intake
from .test_intake_pregnancy_carried import _type_pregnant_patient, _visit_dialog

PID, CASE = "P-SD", "P-SD-case"


def _seed(context, visit_day):
    d = case_dict(PID, "Nico Nofollow", 50)
    d["patient"]["pregnancy_weeks"] = 22  # 50 days ago: 29 weeks today
    d["visits"] = [{"date": visit_day.isoformat(), "leg_nrs": 7, "back_nrs": 4, "odi_percent": 40,
                    "pregnancy": {"pregnant": True, "weeks": 29}}]
    context.store.import_cases([parse_case(d)], user="test")
    return context.store.get_case(CASE)


def _to_open_case(window, qtbot, context, weeks):
    held = context.store.get_case(CASE)
    wiz = _open_intake(window, qtbot)
    _type_pregnant_patient(qtbot, wiz, pid=PID, weeks=weeks, age=str(held.patient.age_years),
                           onset=held.intake.onset_date.isoformat())
    # the held case's own onset: the same episode, asked at Next on the Patient step (fxg19, gp19
    # F12), whose "Open case" carries the intake as the open-case question's does
    qtbot.waitUntil(lambda: wiz.episode_question is not None and wiz.episode_question.isVisible())
    box = wiz.episode_question
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
    qtbot.keyClick(box, Qt.Key_O, Qt.AltModifier)  # &Open case P-SD-case (add a visit)
    return wiz


def _same_day(qtbot, window):
    qtbot.waitUntil(lambda: window.same_day_question is not None and window.same_day_question.isVisible())
    box = window.same_day_question
    box.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
    return box


@pytest.mark.parametrize("key", [Qt.Key_Escape, Qt.Key_Return])
def test_a_visit_that_day_is_named_and_go_back_adds_nothing(window, qtbot, context, key):
    _seed(context, TODAY)
    wiz = _to_open_case(window, qtbot, context, "31")
    box = _same_day(qtbot, window)
    assert box.text() == (f"Case {CASE} already has a visit of {TODAY.isoformat()} (leg pain 7/10, back pain 4/10, "
                          "ODI 40%, pregnant, 29 weeks).")
    said = box.informativeText()
    assert (f"the visit of {TODAY.isoformat()} records pregnant, 29 weeks; the intake you were typing says "
            "pregnant, 31 weeks: ask her") in said
    assert box.defaultButton().text() == "&Go back"
    qtbot.keyClick(box, key)  # Esc and Return both go back
    qtbot.waitUntil(lambda: window.stack.currentWidget() is wiz)
    assert len(context.store.get_case(CASE).visits) == 1  # nothing added
    assert "No visit added" in wiz.draft_status.text() and wiz.page("patient").pregnancy_weeks() == 31
    assert context.store.load_draft("intake-wizard")["data"]["patient"]["pregnancy_weeks"] == 31


def test_a_second_visit_that_day_never_puts_31_weeks_over_29(window, qtbot, context):
    _seed(context, TODAY)
    _to_open_case(window, qtbot, context, "31")
    box = _same_day(qtbot, window)
    qtbot.keyClick(box, Qt.Key_S, Qt.AltModifier)  # Add a &second visit that day
    dialog = _visit_dialog(qtbot)
    assert dialog.pregnancy_answer() != "pregnant" and dialog.pregnancy_weeks.text() == ""
    said = dialog.carried_label.text()
    assert (f"Pregnancy: the visit of {TODAY.isoformat()} records pregnant, 29 weeks; the intake you were typing says "
            "pregnant, 31 weeks: ask her.") in said
    assert (f"the pregnancy answer (pregnant, 31 weeks: case {CASE} records another answer for {TODAY.isoformat()}; "
            "ask her, and record the right one on the case)") in said  # fxk20: said in full (gp19 F13)
    qtbot.keyClick(focus(), Qt.Key_L, Qt.AltModifier)  # &Leg pain now, as gp18 typed it
    type_here(qtbot, "6")
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Save
    qtbot.waitUntil(lambda: not dialog.isVisible())
    case = context.store.get_case(CASE)
    assert [v.date for v in case.visits] == [TODAY, TODAY]
    assert case.visits[-1].pregnancy is None and case.pregnancy_on(TODAY).weeks == 29  # not replaced
    assert case.visits[-1].leg_nrs == 6


@pytest.mark.parametrize("days_ago, weeks, asked", [(1, "29", False), (0, "29", True)])
def test_boundaries_another_day_is_not_asked_and_an_agreeing_answer_is_carried(window, qtbot, context, days_ago,
                                                                               weeks, asked):
    """A visit yesterday: the form opens at once (no question); today with the same 29 weeks:
    asked (a second record of the day), and the 29 weeks carried (nothing differs)."""
    _seed(context, TODAY - dt.timedelta(days=days_ago))
    _to_open_case(window, qtbot, context, weeks)
    if asked:
        box = _same_day(qtbot, window)
        assert "Pregnancy:" not in box.informativeText()
        qtbot.keyClick(box, Qt.Key_S, Qt.AltModifier)
    dialog = _visit_dialog(qtbot)
    assert window.same_day_question is None
    assert dialog.pregnancy_answer() == "pregnant" and dialog.pregnancy_weeks.text() == "29"
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert context.store.get_case(CASE).visits[-1].pregnancy == PregnancyUpdate(True, 29)
