"""A patient with several open cases: "Open a case (add a visit)" asks which (visit16, left alone).

Older clinic data can hold several open cases of one patient (imported before the one-open-
case rule, or new episodes started deliberately). The intake's open-case question opened the
newest of them without a word, so a visit meant for the other episode landed on the wrong case.
Now, with several, the button reads "Open a case (add a visit)…" and a list asks which, each
case with what tells it apart (onset, side, last visit and leg pain, status, pregnancy, medicine
alerts) and none chosen (gp17 F12): Up/Down choose, Return opens the chosen one and with none
chosen says so; Esc goes back to the intake as typed. One open case opens at once, as before.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.ui.dialogs import VisitDialog
from radiculopathy_desktop.ui.wizard import WhichOpenCase

from .conftest import NO_FLAGS, TODAY, case_dict
from .keyboard import focus
from .test_intake_open_case import _open_intake, _question, _type_patient

OLD = "P-NFU-case"  # the seeded case: intake 50 days ago
NEWER = "P-NFU-2025"


def _second_open_case(context, days_ago=20):
    other = case_dict("P-NFU", "Nico Nofollow", days_ago, red_flags=NO_FLAGS)
    other["case_id"] = NEWER
    other["onset_date"] = (TODAY - dt.timedelta(days=days_ago + 5)).isoformat()
    other["care_start_date"] = (TODAY - dt.timedelta(days=days_ago + 2)).isoformat()  # started elsewhere first
    context.store.import_cases([parse_case(other)], user="older data")
    assert {o.case_id for o in context.store.open_cases("P-NFU", TODAY)} == {OLD, NEWER}


def _which(qtbot, wiz, window):
    box = _question(qtbot, wiz)
    assert "two open cases" in box.text() and OLD in box.text() and NEWER in box.text()  # as the chooser counts
    assert [b.text() for b in box.buttons() if "Open" in b.text()] == ["&Open a case (add a visit)…"]
    qtbot.keyClick(box, Qt.Key_O, Qt.AltModifier)
    qtbot.waitUntil(lambda: isinstance(wiz.open_case_question, WhichOpenCase)
                    and wiz.open_case_question.isVisible())
    chooser = wiz.open_case_question
    chooser.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is chooser)
    return chooser


def _visit_dialog(qtbot, window):
    qtbot.waitUntil(lambda: any(isinstance(w, VisitDialog) and w.isVisible() for w in QApplication.topLevelWidgets()))
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, VisitDialog) and w.isVisible())


def test_several_open_cases_are_listed_telling_them_apart_none_chosen(window, qtbot, context):
    """gp17 F12: both rows read "intake 2026-11-30, care started the same day; status Not due",
    and "the newest is chosen" picked the case without the pregnancy and the medicines. Each row
    now gives onset, side, last visit and leg pain, status, pregnancy and medicine alerts; nothing
    is chosen, and Return with nothing chosen says so and opens nothing."""
    _second_open_case(context)
    wiz = _open_intake(window, qtbot)
    _type_patient(qtbot, wiz)
    chooser = _which(qtbot, wiz, window)
    rows = [chooser.list.item(i).text() for i in range(chooser.list.count())]
    newer_intake = (TODAY - dt.timedelta(days=20)).isoformat()
    newer_care = (TODAY - dt.timedelta(days=22)).isoformat()
    assert rows[0].startswith(f"Case {NEWER}: onset {(TODAY - dt.timedelta(days=25)).isoformat()}, left leg; "
                              f"intake {newer_intake}, care started {newer_care}; no visit yet, leg pain 7/10 at the "
                              "intake; status ")
    assert rows[1].startswith(f"Case {OLD}: onset {(TODAY - dt.timedelta(days=57)).isoformat()}, left leg; "
                              f"intake {(TODAY - dt.timedelta(days=50)).isoformat()}")
    assert all(r.endswith("no medicines recorded") for r in rows)
    assert "has two open cases" in chooser.intro.text()
    assert chooser.case_id() is None and focus() is chooser.list
    qtbot.keyClick(focus(), Qt.Key_Return)  # nothing chosen: not picked for the clinician
    QApplication.processEvents()
    assert chooser.isVisible() and chooser.error.isVisible() and "No case chosen" in chooser.error.text()
    assert not any(isinstance(w, VisitDialog) and w.isVisible() for w in QApplication.topLevelWidgets())
    qtbot.keyClick(focus(), Qt.Key_Down)  # the first row
    assert chooser.case_id() == NEWER and not chooser.error.isVisible()
    qtbot.keyClick(focus(), Qt.Key_Return)
    dialog = _visit_dialog(qtbot, window)
    assert dialog.case.case_id == NEWER
    QApplication.processEvents()  # Return both activates the row and presses Open: one answer, one dialog
    assert len([w for w in QApplication.topLevelWidgets() if isinstance(w, VisitDialog) and w.isVisible()]) == 1
    assert wiz.open_case_question is None
    dialog.discard()


def test_each_row_shows_its_pregnancy_medicine_alerts_and_last_visit(window, qtbot, context):
    """gp17 F12's pair: one case with the pregnancy and ibuprofen, one without; the rows say which."""
    other = case_dict("P-NFU", "Nico Nofollow", 20, red_flags=NO_FLAGS,
                      visits=[{"date": (TODAY - dt.timedelta(days=3)).isoformat(), "leg_nrs": 5}])
    other["case_id"] = NEWER
    other["onset_date"] = (TODAY - dt.timedelta(days=25)).isoformat()
    other["side"] = "right"
    other["patient"]["pregnancy_weeks"] = 31
    other["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
    context.store.import_cases([parse_case(other)], user="older data")
    wiz = _open_intake(window, qtbot)
    _type_patient(qtbot, wiz)
    chooser = _which(qtbot, wiz, window)
    newer, older = (chooser.list.item(i).text() for i in range(2))
    assert "right leg" in newer and f"last visit {(TODAY - dt.timedelta(days=3)).isoformat()}, leg pain 5/10" in newer
    assert "PREGNANT 33 weeks" in newer and "medicine alerts: Contraindicated ibuprofen" in newer
    assert "left leg" in older and "PREGNANT" not in older and "no medicines recorded" in older
    qtbot.keyClick(focus(), Qt.Key_Escape)
    qtbot.waitUntil(lambda: wiz.open_case_question is None)


def test_the_older_case_is_chosen_by_arrow_and_gets_the_visit(window, qtbot, context):
    _second_open_case(context)
    wiz = _open_intake(window, qtbot)
    _type_patient(qtbot, wiz)
    chooser = _which(qtbot, wiz, window)
    qtbot.keyClick(focus(), Qt.Key_Up)  # nothing chosen: Up picks the last row
    assert chooser.case_id() == OLD
    qtbot.keyClick(focus(), Qt.Key_Up)
    qtbot.keyClick(focus(), Qt.Key_Down)
    assert chooser.case_id() == OLD
    qtbot.keyClick(focus(), Qt.Key_O, Qt.AltModifier)  # &Open this case
    dialog = _visit_dialog(qtbot, window)
    assert dialog.case.case_id == OLD and window.patient_view.case_id == OLD
    assert "kept as typed" in wiz.draft_status.text()
    dialog.discard()


def test_the_question_counts_the_episodes(window, qtbot, context):
    """gp17 F12: "starts a second episode" beside two open cases; it would be the third."""
    _second_open_case(context)
    wiz = _open_intake(window, qtbot)
    _type_patient(qtbot, wiz)
    box = _question(qtbot, wiz)
    assert "starts a third open episode beside them" in box.informativeText()
    qtbot.keyClick(box, Qt.Key_Escape)
    qtbot.waitUntil(lambda: wiz.open_case_question is None)


def test_escape_goes_back_to_the_intake_as_typed_naming_both_cases(window, qtbot, context):
    _second_open_case(context)
    wiz = _open_intake(window, qtbot)
    _type_patient(qtbot, wiz)
    chooser = _which(qtbot, wiz, window)
    qtbot.keyClick(focus(), Qt.Key_Escape)
    qtbot.waitUntil(lambda: wiz.open_case_question is None)
    assert not _alive(chooser) or not chooser.isVisible()
    assert wiz.index == 0 and wiz.page("patient").pid.text() == "P-NFU"
    said = wiz.page_error.text()
    assert "2 open cases" in said and OLD in said and NEWER in said
    assert not any(isinstance(w, VisitDialog) and w.isVisible() for w in QApplication.topLevelWidgets())


def test_one_open_case_still_opens_at_once(window, qtbot, context):
    wiz = _open_intake(window, qtbot)
    _type_patient(qtbot, wiz)
    box = _question(qtbot, wiz)
    qtbot.keyClick(box, Qt.Key_O, Qt.AltModifier)  # &Open case P-NFU-case (add a visit)
    dialog = _visit_dialog(qtbot, window)
    assert dialog.case.case_id == OLD
    dialog.discard()


def _alive(widget) -> bool:
    from shiboken6 import isValid
    return isValid(widget)
