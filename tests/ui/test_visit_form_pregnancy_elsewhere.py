"""The visit form names the other case's pregnancy where the answer is recorded (gp19 F6; H-UI-345).

The case page of a "not pregnant" case says, in red, that another case of the patient records
her pregnant (its weeks) and to "record the answer at a visit on the case that is wrong". The
visit form, the place to do that, said only "Pregnancy as recorded on the visit date: Not
pregnant". It now shows the page's own line (``domain.episodes.pregnancy_differs``, each
contradiction's text) beside the pregnancy box, for the visit date typed: on a date before the
other case existed there is nothing to contradict and the line goes.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.ui.dialogs import VisitDialog

from .conftest import TODAY, case_dict
from .test_safety_text_1366 import _stale_pair


def _visit_form(window, qtbot, case_id) -> VisitDialog:
    window.open_case(case_id)
    qtbot.waitUntil(window.patient_view.isVisible)
    qtbot.keyClick(window, Qt.Key_V, Qt.ControlModifier | Qt.ShiftModifier)
    qtbot.waitUntil(lambda: any(isinstance(w, VisitDialog) and w.isVisible() for w in QApplication.topLevelWidgets()))
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, VisitDialog) and w.isVisible())


def _type_date(qtbot, dialog, day: dt.date):
    dialog.date.setFocus()
    qtbot.keyClick(dialog.date, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClicks(dialog.date, day.isoformat())
    qtbot.keyClick(dialog.date, Qt.Key_Tab)


def test_the_stale_case_s_visit_form_names_the_other_case_s_weeks(window, qtbot, context):
    preg, stale = _stale_pair(context)
    dialog = _visit_form(window, qtbot, stale)
    assert dialog.pregnancy_other.isVisible()
    said = dialog.pregnancy_other.text()
    assert f"case {preg} records pregnant, 31 weeks" in said and "32 weeks pregnant on" in said, said
    assert f"case {stale} records her not pregnant that day" in said
    page = window.patient_view.pregnancy_differs.text().split("\n")[0]
    assert said.split("\n")[0] == page  # the page's own words, not a copy
    dialog.reject()


def test_the_line_follows_the_visit_date_typed(window, qtbot, context):
    """On the pregnant case: a visit the day before the other case's intake has nothing to
    contradict (just below); on its intake day (at, the latest date a visit may have) it is named."""
    preg, stale = _stale_pair(context)
    dialog = _visit_form(window, qtbot, preg)
    assert dialog.pregnancy_other.isVisible() and stale in dialog.pregnancy_other.text()
    _type_date(qtbot, dialog, TODAY - dt.timedelta(days=1))
    qtbot.waitUntil(lambda: not dialog.pregnancy_other.isVisible())
    _type_date(qtbot, dialog, TODAY)
    qtbot.waitUntil(dialog.pregnancy_other.isVisible)
    assert stale in dialog.pregnancy_other.text()
    dialog.reject()


def test_cases_that_agree_show_no_line(window, qtbot, context):
    agree = case_dict("P-AGREE", "Ann Agree", 10)
    agree["patient"]["pregnancy_weeks"] = 20
    context.store.import_cases([parse_case(agree)], user="test")
    dialog = _visit_form(window, qtbot, agree["case_id"])
    assert dialog.pregnancy_standing.isVisible() and not dialog.pregnancy_other.isVisible()
    dialog.reject()
