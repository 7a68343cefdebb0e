"""The case page's own "Add follow-up visit" onto a day that already has a record asks first, as
the Open case route does (rt20 F4, data).

Before: P-SD-case had a visit today (29 weeks, leg 7, back 4, ODI 40). Add visit on the case page,
Pregnant 31 weeks, leg 6, Ctrl+Return saved at once: two visits of today, and 31 weeks replaced
the 29 recorded that morning, with no word. Now Save asks "This case already has a visit that day",
naming that day's records and the differing weeks; Go back (the default, Return and Esc) returns
to the form with everything typed; "Add a second visit that day" (Alt+S) saves. A visit dated the
day before is not asked about; changing the date to such a day inside the form opened from Open
case asks too.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.domain.intake import PregnancyUpdate

from .conftest import TODAY
from .keyboard import focus, type_here
from .test_intake_pregnancy_carried import _visit_dialog
from .test_open_case_same_day_visit import CASE, _same_day, _seed, _to_open_case


def _type_visit(qtbot, dialog, weeks="31", leg="6"):
    dialog.pregnancy.setCurrentIndex(dialog.pregnancy.findData("pregnant"))
    dialog.pregnancy_weeks.setFocus()
    type_here(qtbot, weeks)
    qtbot.keyClick(focus(), Qt.Key_L, Qt.AltModifier)  # &Leg pain now
    type_here(qtbot, leg)


def _box(qtbot, dialog):
    qtbot.waitUntil(lambda: dialog.same_day_box is not None and dialog.same_day_box.isVisible())
    box = dialog.same_day_box
    box.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
    return box


def _type_date(qtbot, dialog, day):
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClick(dialog, Qt.Key_D, Qt.AltModifier)  # Visit &date
    qtbot.waitUntil(lambda: focus() is not None and dialog.isAncestorOf(focus()))
    type_here(qtbot, day.isoformat())


def _add_visit(window, qtbot):
    window.open_case(CASE)
    qtbot.waitUntil(lambda: window.patient_view.case_id == CASE and window.patient_view.isVisible())
    window.patient_view.add_visit()
    return _visit_dialog(qtbot)


@pytest.mark.parametrize("key", [Qt.Key_Escape, Qt.Key_Return])
def test_the_case_page_s_add_visit_asks_and_go_back_loses_nothing(window, qtbot, context, key):
    _seed(context, TODAY)
    dialog = _add_visit(window, qtbot)
    _type_visit(qtbot, dialog)
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Save
    box = _box(qtbot, dialog)
    assert box.text() == (f"Case {CASE} already has a visit of {TODAY.isoformat()} (leg pain 7/10, back pain 4/10, "
                          "ODI 40%, pregnant, 29 weeks).")
    assert (f"Pregnancy: the visit of {TODAY.isoformat()} records pregnant, 29 weeks; this answer says pregnant, "
            "31 weeks: ask her which is right.") in box.informativeText()
    assert box.defaultButton().text() == "&Go back"
    qtbot.keyClick(box, key)
    qtbot.waitUntil(lambda: dialog.same_day_box is None)
    assert dialog.isVisible()
    assert len(context.store.get_case(CASE).visits) == 1  # nothing added
    assert dialog.pregnancy_weeks.text() == "31" and dialog.leg.text() == "6"  # all typed kept


def test_add_a_second_visit_that_day_saves_it(window, qtbot, context):
    _seed(context, TODAY)
    dialog = _add_visit(window, qtbot)
    _type_visit(qtbot, dialog)
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    box = _box(qtbot, dialog)
    qtbot.keyClick(box, Qt.Key_S, Qt.AltModifier)  # Add a &second visit that day
    qtbot.waitUntil(lambda: not dialog.isVisible())
    case = context.store.get_case(CASE)
    assert [v.date for v in case.visits] == [TODAY, TODAY]
    assert case.visits[-1].pregnancy == PregnancyUpdate(True, 31) and case.visits[-1].leg_nrs == 6


def test_a_visit_the_day_before_is_not_asked_about(window, qtbot, context):
    _seed(context, TODAY - dt.timedelta(days=1))
    dialog = _add_visit(window, qtbot)
    _type_visit(qtbot, dialog, weeks="29")
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.same_day_box is None
    assert [v.date for v in context.store.get_case(CASE).visits] == [TODAY - dt.timedelta(days=1), TODAY]


def test_the_open_case_route_is_not_asked_twice_but_a_date_moved_onto_a_held_day_is(window, qtbot, context):
    """Answered at the Open case question, Save does not ask again for that day; the date changed
    in the form to another day holding a record (the intake's) asks at Save."""
    case = _seed(context, TODAY)
    _to_open_case(window, qtbot, context, "29")
    qtbot.keyClick(_same_day(qtbot, window), Qt.Key_S, Qt.AltModifier)
    dialog = _visit_dialog(qtbot)
    _type_date(qtbot, dialog, case.intake.visit_date)
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    box = _box(qtbot, dialog)
    assert f"already has the intake of {case.intake.visit_date.isoformat()}" in box.text()
    qtbot.keyClick(box, Qt.Key_Escape)
    qtbot.waitUntil(lambda: dialog.same_day_box is None)
    _type_date(qtbot, dialog, TODAY)
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # the day answered already: saved
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert [v.date for v in context.store.get_case(CASE).visits] == [TODAY, TODAY]
