"""What is typed is what is kept, and safe defaults: driven with keys and clicks.

Dates: an impossible date is refused beside its field and stays as typed (never
"corrected"); a date is one field (one Tab stop); a follow-up visit or decision
dated after today is refused. The decision dialog opens with nothing chosen and
Enter records nothing until the clinician chooses.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QRadioButton

from radiculopathy_desktop.ui import wizard as wizard_module

from .conftest import TODAY
from .keyboard import focus, tab, tab_until, type_here

TOMORROW = (TODAY + dt.timedelta(days=1)).isoformat()


def _open_wizard(window, qtbot):
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    return window.views["intake"]


def _open_patient(window, case_id):
    window.open_case(case_id)
    return window.patient_view


def _active(qtbot, dialog):
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)


# ---------------------------------------------------------------------------- dates
def test_impossible_intake_date_is_refused_beside_the_field_and_kept_as_typed(window, qtbot, context):
    wiz = _open_wizard(window, qtbot)
    p = wiz.pages[0]
    type_here(qtbot, "P-DATES")
    tab_until(qtbot, lambda w: w is p.onset)
    type_here(qtbot, "2026-02-30")
    tab(qtbot)
    assert focus() is p.visit  # a date is one Tab stop, not three
    assert p.onset.text() == "2026-02-30"  # kept, not turned into 2026-02-03 or 2026-02-28
    error = p.form.errors["onset_date"]
    assert error.isVisible() and "not a real date" in error.text() and "February 2026 has 28 days" in error.text()
    p.age.setValue(50)
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Next is refused, the reason stays beside it
    assert wiz.index == 0
    assert "not a real calendar date" in error.text() and p.onset.text() == "2026-02-30"
    # the draft keeps the text as typed too
    wiz._keep_draft_quietly()
    assert context.store.load_draft(wizard_module.DRAFT_KEY)["data"]["onset_date"] == "2026-02-30"
    # correcting it clears the problem; another accepted form is shown as YYYY-MM-DD (the same day)
    p.onset.setFocus()
    type_here(qtbot, "9 Feb 2026")
    tab(qtbot)
    assert p.onset.text() == "2026-02-09" and not error.isVisible()


def test_ambiguous_or_wrong_date_text_is_named_not_guessed(window, qtbot):
    wiz = _open_wizard(window, qtbot)
    p = wiz.pages[0]
    tab_until(qtbot, lambda w: w is p.birth)
    type_here(qtbot, "04/05/1970")
    tab(qtbot)
    assert p.birth.text() == "04/05/1970"
    assert "day-first or month-first" in p.form.errors["patient.birth_date"].text()
    assert p.birth.day() is None


def test_visit_dated_after_today_or_impossible_is_refused_and_kept(window, qtbot, context):
    patient = _open_patient(window, "P-NFU-case")
    dialog = patient.add_visit()
    _active(qtbot, dialog)
    assert focus() is dialog.date
    type_here(qtbot, TOMORROW)
    tab(qtbot)
    assert focus() is dialog.leg
    type_here(qtbot, "4")
    save = dialog.buttons.button(QDialogButtonBox.Save)
    qtbot.mouseClick(save, Qt.LeftButton)
    assert dialog.isVisible() and dialog.date.text() == TOMORROW
    assert "after today" in dialog.form.errors["visit.date"].text()
    dialog.date.setFocus()
    type_here(qtbot, "2026-02-30")
    tab(qtbot)
    assert "February 2026 has 28 days" in dialog.form.errors["visit.date"].text()
    qtbot.mouseClick(save, Qt.LeftButton)
    assert dialog.isVisible() and dialog.date.text() == "2026-02-30"
    assert context.store.get_case("P-NFU-case").visits == ()
    dialog.date.setFocus()
    type_here(qtbot, TODAY.isoformat())
    qtbot.mouseClick(save, Qt.LeftButton)
    assert not dialog.isVisible()
    assert [v.date for v in context.store.get_case("P-NFU-case").visits] == [TODAY]


# ---------------------------------------------------------------------------- decision
def test_decision_dialog_starts_with_nothing_chosen_and_enter_records_nothing(window, qtbot, context):
    patient = _open_patient(window, "P-RED-case")
    dialog = patient.record_decision()
    _active(qtbot, dialog)
    assert dialog.choice() is None
    assert all(not b.isChecked() for b in dialog.kind.buttons.values())
    assert isinstance(focus(), QRadioButton) and focus() in dialog.kind.buttons.values()  # focus on the choice
    qtbot.keyClick(focus(), Qt.Key_Return)
    assert dialog.isVisible()
    assert context.store.get_case("P-RED-case").decisions == ()
    assert "Choose the decision" in dialog.form.errors["decision.kind"].text()
    # choose by keyboard: arrows move through the choices, Space takes one; then Enter saves it
    target = dialog.kind.buttons["continue_conservative_care"]
    while focus() is not target:
        qtbot.keyClick(focus(), Qt.Key_Down)
    qtbot.keyClick(focus(), Qt.Key_Space)
    assert dialog.choice() == "continue_conservative_care" and dialog.until.isEnabled()
    qtbot.keyClick(focus(), Qt.Key_Return)
    assert not dialog.isVisible()
    (decision,) = context.store.get_case("P-RED-case").decisions
    assert decision.kind == "continue_conservative_care" and decision.until == TODAY + dt.timedelta(days=28)


def test_decision_dated_after_today_refused_but_until_lies_ahead(window, qtbot, context):
    patient = _open_patient(window, "P-DUE-case")
    dialog = patient.record_decision()
    _active(qtbot, dialog)
    assert "a date ahead" in dialog.form.labelForField(dialog.until.parentWidget()).text()
    qtbot.mouseClick(dialog.kind.buttons["referred_for_surgical_opinion"], Qt.LeftButton)
    assert not dialog.until.isEnabled()  # only continuing care has a date ahead
    dialog.date.setFocus()
    type_here(qtbot, TOMORROW)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert dialog.isVisible() and "after today" in dialog.form.errors["decision.date"].text()
    assert context.store.get_case("P-DUE-case").decisions == ()
    qtbot.mouseClick(dialog.kind.buttons["continue_conservative_care"], Qt.LeftButton)
    dialog.date.setFocus()
    type_here(qtbot, TODAY.isoformat())
    dialog.until.setFocus()
    type_here(qtbot, "2027-01-10")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert not dialog.isVisible()
    (decision,) = context.store.get_case("P-DUE-case").decisions
    assert decision.date == TODAY and decision.until == dt.date(2027, 1, 10)
