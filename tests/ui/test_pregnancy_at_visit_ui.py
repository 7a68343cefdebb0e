"""A pregnancy recorded in the visit dialog, driven with the keyboard (preg17, H-UI-255).

Before, the visit dialog had no pregnancy question: a pregnancy that began or ended during
care could be recorded only by re-importing the case with --replace-records. The dialog now
asks it (Alt+G), as the intake does: the weeks for "Pregnant" (required, 0-44), the day it
ended for "No longer pregnant" (optional, not after the visit); a wrong value is named beside
its field and nothing typed is lost. FDA Drug Safety Communication 2020: "We recommend
avoiding NSAIDs in pregnant women at 20 weeks".
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.domain.intake import PregnancyUpdate, parse_case

from .conftest import TODAY, case_dict
from .keyboard import focus, type_here
from .window_steps import open_visit_dialog


def _ctrl_return(qtbot):
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Return, Qt.ControlModifier)


def _choose(qtbot, dialog, letters):
    qtbot.keyClick(dialog, Qt.Key_G, Qt.AltModifier)
    assert focus() is dialog.pregnancy
    qtbot.keyClicks(dialog.pregnancy, letters)


def test_a_pregnancy_begun_during_care_is_recorded_with_its_weeks(window, qtbot, context):
    dialog = open_visit_dialog(window, qtbot, "P-NFU-case")
    assert dialog.pregnancy_standing.isVisible()
    assert "Pregnancy not recorded" in dialog.pregnancy_standing.text()
    assert "Breastfeeding is not recorded" in dialog.pregnancy_standing.text()
    assert not dialog.pregnancy_weeks.isVisible() and not dialog.pregnancy_ended.isVisible()
    _choose(qtbot, dialog, "P")
    assert dialog.pregnancy_answer() == "pregnant"
    assert dialog.pregnancy_weeks.isVisible() and not dialog.pregnancy_ended.isVisible()
    # Save without the weeks: refused beside the weeks, nothing saved, the answer kept
    _ctrl_return(qtbot)
    assert dialog.isVisible()
    assert "required when pregnant" in dialog.form.errors["visit.pregnancy.weeks"].text()
    assert context.store.get_case("P-NFU-case").visits == ()
    # 45 weeks: out of range, named as typed
    qtbot.keyClick(dialog, Qt.Key_K, Qt.AltModifier)
    assert focus() is dialog.pregnancy_weeks
    type_here(qtbot, "45")
    _ctrl_return(qtbot)
    assert dialog.isVisible() and context.store.get_case("P-NFU-case").visits == ()
    assert dialog.pregnancy_weeks.text() == "45" and dialog.pregnancy_answer() == "pregnant"
    type_here(qtbot, "19")
    _ctrl_return(qtbot)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    (visit,) = context.store.get_case("P-NFU-case").visits
    assert visit.pregnancy == PregnancyUpdate(True, 19) and visit.date == TODAY
    title = window.patient_view.title.text()
    assert f"Pregnant, 19 weeks on {TODAY.isoformat()} (at the visit)" in title


def test_a_pregnancy_that_ended_is_recorded_with_its_end_date(window, qtbot, context):
    data = case_dict("P-PREG", "Pia Preg", 30)
    data["patient"]["pregnancy_weeks"] = 36
    data["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
    context.store.import_cases([parse_case(data)], user="test")
    dialog = open_visit_dialog(window, qtbot, "P-PREG-case")
    intake = (TODAY - dt.timedelta(days=30)).isoformat()
    assert f"Pregnant, 40 weeks on {TODAY.isoformat()} (36 at the intake on {intake})" in \
        dialog.pregnancy_standing.text()
    _choose(qtbot, dialog, "No l")
    assert dialog.pregnancy_answer() == "not_pregnant"
    assert dialog.pregnancy_ended.isVisible() and not dialog.pregnancy_weeks.isVisible()
    qtbot.keyClick(dialog, Qt.Key_W, Qt.AltModifier)
    assert focus() is dialog.pregnancy_ended
    type_here(qtbot, (TODAY + dt.timedelta(days=1)).isoformat())  # after the visit: refused
    _ctrl_return(qtbot)
    assert dialog.isVisible()
    assert context.store.get_case("P-PREG-case").visits == ()
    assert "after" in dialog.form.errors["visit.pregnancy.ended_on"].text()
    ended = TODAY - dt.timedelta(days=2)
    dialog.pregnancy_ended.setFocus()
    type_here(qtbot, ended.isoformat())
    _ctrl_return(qtbot)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    (visit,) = context.store.get_case("P-PREG-case").visits
    assert visit.pregnancy == PregnancyUpdate(False, None, ended)
    title = window.patient_view.title.text()
    assert f"no longer pregnant (recorded at the visit of {TODAY.isoformat()}, ended {ended.isoformat()})" in title
    assert "Pregnant, 40 weeks" not in title


def test_not_asked_keeps_what_stands_and_a_male_patient_is_not_asked(window, qtbot, context):
    dialog = open_visit_dialog(window, qtbot, "P-NFU-case")
    assert dialog.pregnancy_answer() == "unchanged"
    dialog.leg.setFocus()
    qtbot.keyClicks(dialog.leg, "5")
    _ctrl_return(qtbot)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    (visit,) = context.store.get_case("P-NFU-case").visits
    assert visit.pregnancy is None
    data = case_dict("P-MALE", "Max Male", 20)
    data["patient"]["sex"] = "male"
    context.store.import_cases([parse_case(data)], user="test")
    dialog = open_visit_dialog(window, qtbot, "P-MALE-case")
    assert not dialog.pregnancy.isVisible() and not dialog.pregnancy_standing.isVisible()
    assert not dialog.pregnancy_weeks.isVisible()
    dialog.close()
