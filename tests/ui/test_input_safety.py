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
    # a case with no standing red flag: continuing care on P-RED asks first (tests/ui/test_decision_red_flags.py)
    patient = _open_patient(window, "P-DUE-case")
    dialog = patient.record_decision()
    _active(qtbot, dialog)
    assert dialog.choice() is None
    assert all(not b.isChecked() for b in dialog.kind.buttons.values())
    assert isinstance(focus(), QRadioButton) and focus() in dialog.kind.buttons.values()  # focus on the choice
    qtbot.keyClick(focus(), Qt.Key_Return)
    assert dialog.isVisible()
    assert context.store.get_case("P-DUE-case").decisions == ()
    assert "Choose the decision" in dialog.form.errors["decision.kind"].text()
    # choose by keyboard: arrows move through the choices, Space takes one; then Enter saves it
    target = dialog.kind.buttons["continue_conservative_care"]
    while focus() is not target:
        qtbot.keyClick(focus(), Qt.Key_Down)
    qtbot.keyClick(focus(), Qt.Key_Space)
    assert dialog.choice() == "continue_conservative_care" and dialog.until.isEnabled()
    assert not dialog.form.errors["decision.kind"].isVisible()
    qtbot.keyClick(focus(), Qt.Key_Return)
    assert not dialog.isVisible()
    (decision,) = context.store.get_case("P-DUE-case").decisions
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


# ---------------------------------------------------------------------------- scores
def test_first_digit_typed_into_an_unrecorded_score_is_kept(window, qtbot):
    wiz = _open_wizard(window, qtbot)
    wiz.load({"patient": {"id": "P-SC", "age_years": 40}, "side": "left", "regions": ["buttock"],
              "red_flags": {k: "no" for k in wiz.pages[2].groups}})
    wiz._go(4)  # the step opens with focus on Leg pain, showing "Not recorded"
    leg = wiz.pages[4].leg
    assert focus() is leg and leg.text() == "" and leg.placeholderText() == "Not recorded"
    qtbot.keyClicks(focus(), "7")
    assert leg.value() == 7
    # a click into the field (cursor placed, nothing selected) keeps the first digit too
    back = wiz.pages[4].back
    qtbot.mouseClick(back.lineEdit(), Qt.LeftButton)
    qtbot.keyClicks(focus(), "3")
    assert back.value() == 3


# ---------------------------------------------------------------------------- mnemonics and combo boxes
def test_mnemonic_then_a_medicine_name_changes_no_other_answer(window, qtbot, context):
    wiz = _open_wizard(window, qtbot)
    wiz._go(5)
    page = wiz.pages[5]
    ckd = page.flags["ckd"]
    assert focus() is ckd and ckd.currentData() == ""  # Not recorded
    qtbot.keyClick(focus(), Qt.Key_M, Qt.AltModifier)  # Add medicine
    for ch in "naproxen":  # typed at once, no pause; each key to whatever has focus, as a keyboard does
        qtbot.keyClicks(focus(), ch)
    qtbot.keyClick(focus(), Qt.Key_Return)
    qtbot.waitUntil(lambda: page.meds.state() != page.meds.State.EditingState)
    assert ckd.currentData() == ""
    assert page.medicines()[0] == [{"name": "naproxen"}]


def test_combo_takes_typed_letters_only_as_the_start_of_a_choice(window, qtbot):
    wiz = _open_wizard(window, qtbot)
    wiz._go(5)
    ckd = wiz.pages[5].flags["ckd"]
    assert focus() is ckd
    qtbot.keyClicks(ckd, "naproxen")  # "n" is the start of No, "na" of nothing: back to Not recorded
    assert ckd.currentData() == ""
    assert "nothing was changed" in ckd.toolTip()
    qtbot.keyClick(ckd, Qt.Key_Tab)
    qtbot.keyClick(ckd, Qt.Key_Backtab)
    assert focus() is ckd
    qtbot.keyClicks(ckd, "ye")  # the start of a choice still chooses it
    assert ckd.currentData() == "yes"


def test_each_label_mnemonic_focuses_its_own_field(window, qtbot):
    wiz = _open_wizard(window, qtbot)
    p = wiz.pages[0]
    for key, field in ((Qt.Key_S, p.sex), (Qt.Key_T, p.onset), (Qt.Key_M, p.name), (Qt.Key_D, p.birth)):
        qtbot.keyClick(focus(), key, Qt.AltModifier)
        assert focus() is field
    qtbot.keyClicks(focus(), "1970-05-06")
    qtbot.keyClick(focus(), Qt.Key_S, Qt.AltModifier)
    qtbot.keyClicks(focus(), "m")
    assert p.sex.currentData() == "male" and p.birth.text() == "1970-05-06"


def test_red_flag_answered_with_one_key_each(window, qtbot):
    wiz = _open_wizard(window, qtbot)
    wiz.load({"patient": {"id": "P-RF", "age_years": 40}, "side": "left", "regions": ["buttock"]})
    wiz._go(2)
    groups = list(wiz.pages[2].groups.values())
    assert focus() is groups[0].buttons["yes"]
    qtbot.keyClick(focus(), Qt.Key_N)
    assert groups[0].value() == "no" and focus() in groups[1].buttons.values()
    qtbot.keyClick(focus(), Qt.Key_U)
    assert groups[1].value() == "unknown" and focus() in groups[2].buttons.values()
    qtbot.keyClick(focus(), Qt.Key_Y)
    assert groups[2].value() == "yes" and wiz.pages[2].banner.isVisible()
    assert all(g.value() is None for g in groups[3:])  # nothing answered that was not keyed


# ---------------------------------------------------------------------------- buttons, start over, menus
def test_start_over_asks_before_discarding(window, qtbot, context, monkeypatch):
    wiz = _open_wizard(window, qtbot)
    type_here(qtbot, "P-KEEP")
    asked = []
    monkeypatch.setattr(wizard_module, "ask_start_over", lambda parent: asked.append(1) or False)
    wiz.discard_button.setFocus()
    qtbot.keyClick(focus(), Qt.Key_Return)  # Return on the focused button presses it
    assert asked == [1] and wiz.pages[0].pid.text() == "P-KEEP"
    monkeypatch.setattr(wizard_module, "ask_start_over", lambda parent: asked.append(2) or True)
    qtbot.keyClick(focus(), Qt.Key_O, Qt.AltModifier)  # Start &over
    assert asked == [1, 2] and wiz.pages[0].pid.text() == ""
    assert context.store.load_draft(wizard_module.DRAFT_KEY) is None


def test_return_on_a_focused_button_presses_it(window, qtbot):
    wiz = _open_wizard(window, qtbot)
    wiz.load({"patient": {"id": "P-RET", "age_years": 40}, "onset_date": "2026-02-01"})
    wiz.next_button.setFocus()
    qtbot.keyClick(focus(), Qt.Key_Return)
    assert wiz.index == 1
    wiz.back_button.setFocus()
    qtbot.keyClick(focus(), Qt.Key_Enter, Qt.KeypadModifier)
    assert wiz.index == 0


def test_add_visit_and_record_decision_from_the_menu_and_shortcuts(window, qtbot):
    assert not window.add_visit_action.isEnabled() and not window.record_decision_action.isEnabled()
    window.open_case("P-DUE-case")
    assert window.add_visit_action.isEnabled() and window.record_decision_action.isEnabled()
    patient_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Patient")
    assert window.add_visit_action in patient_menu.actions() and window.record_decision_action in patient_menu.actions()
    from radiculopathy_desktop.ui.dialogs import DecisionDialog, VisitDialog
    qtbot.keyClick(window, Qt.Key_V, Qt.ControlModifier | Qt.ShiftModifier)
    visit = window.patient_view.findChild(VisitDialog)
    assert visit is not None and visit.isVisible()
    visit.close()
    qtbot.keyClick(window, Qt.Key_D, Qt.ControlModifier | Qt.ShiftModifier)
    decision = window.patient_view.findChild(DecisionDialog)
    assert decision is not None and decision.isVisible()
    decision.close()


def test_handout_next_follow_up_is_a_date_ahead_refused_not_corrected(window, qtbot, monkeypatch):
    from radiculopathy_desktop.ui import exports
    window.open_case("P-DUE-case")
    dialog = window.print_handout()
    _active(qtbot, dialog)
    asked = []
    monkeypatch.setattr(exports, "ask_save_path", lambda *a, **k: asked.append(a) or None)
    assert "a date ahead" in dialog.next_visit.accessibleName()
    dialog.next_visit.setFocus()
    type_here(qtbot, "2026-04-31")
    tab(qtbot)
    assert dialog.next_visit.text() == "2026-04-31"
    assert "April 2026 has 30 days" in dialog.next_visit.error_label.text()
    qtbot.mouseClick(dialog.pdf_button, Qt.LeftButton)
    assert asked == [] and dialog.next_visit.text() == "2026-04-31"  # nothing printed or saved
    dialog.next_visit.setFocus()
    type_here(qtbot, (TODAY - dt.timedelta(days=1)).isoformat())
    qtbot.mouseClick(dialog.pdf_button, Qt.LeftButton)
    assert asked == [] and "before today" in dialog.next_visit.error_label.text()
    dialog.next_visit.setFocus()
    type_here(qtbot, "2026-04-30")
    qtbot.mouseClick(dialog.pdf_button, Qt.LeftButton)
    assert len(asked) == 1  # a date ahead goes on to choosing where to save
    assert dialog.request().next_follow_up_date == dt.date(2026, 4, 30)
    dialog.close()


def test_intake_dates_after_today_are_refused(window, qtbot):
    wiz = _open_wizard(window, qtbot)
    p = wiz.pages[0]
    type_here(qtbot, "P-AHEAD")
    qtbot.keyClick(focus(), Qt.Key_D, Qt.AltModifier)  # Birth &date
    type_here(qtbot, "1970-05-06")
    qtbot.keyClick(focus(), Qt.Key_T, Qt.AltModifier)  # Symptoms s&tarted on (required)
    type_here(qtbot, "2026-02-01")
    qtbot.keyClick(focus(), Qt.Key_V, Qt.AltModifier)  # &Visit date
    assert focus() is p.visit
    type_here(qtbot, "2027-03-02")  # a year slip
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 0
    assert "after today" in p.form.errors["visit_date"].text() and p.visit.text() == "2027-03-02"
    p.visit.setFocus()
    type_here(qtbot, TODAY.isoformat())
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 1


def test_read_date_accepts_unambiguous_forms_and_names_what_is_wrong():
    from radiculopathy_desktop.ui.forms import read_date
    ok = {"2026-02-09": (2026, 2, 9), " 2026-2-9 ": (2026, 2, 9), "20260209": (2026, 2, 9),
          "9 Feb 2026": (2026, 2, 9), "9 february 2026": (2026, 2, 9), "Feb 9, 2026": (2026, 2, 9),
          "2028-02-29": (2028, 2, 29), "2026-12-31": (2026, 12, 31)}
    for text, parts in ok.items():
        assert read_date(text) == (dt.date(*parts), None), text
    assert read_date("") == (None, None)
    for text, words in {"2026-02-29": "February 2026 has 28 days", "2026-04-31": "April 2026 has 30 days",
                        "2026-13-01": "no month 13", "2026-00-10": "no month 0",
                        "2026-12-32": "December 2026 has 31 days",
                        "04/05/1970": "day-first or month-first", "9 Ma 2026": "is not a date",
                        "tomorrow": "is not a date", "2026-02-3x": "is not a date"}.items():
        day, problem = read_date(text)
        assert day is None and words in problem, (text, problem)


def test_start_over_keeps_the_form_when_the_draft_cannot_be_discarded(window, qtbot, context, monkeypatch):
    """Red-team #17: with the database locked by another program the draft cannot be deleted;
    the form must not be cleared as if it had been (the draft would come back next time)."""
    import sqlite3

    from radiculopathy_desktop.storage.errors import StorageError
    from radiculopathy_desktop.ui import errors as ui_errors

    wiz = _open_wizard(window, qtbot)
    type_here(qtbot, "P-LOCKED")
    wiz.save_draft_now()
    assert context.store.load_draft(wizard_module.DRAFT_KEY) is not None
    shown = []
    monkeypatch.setattr(ui_errors, "show_error", lambda parent, exc, kept_input=False: shown.append((exc, kept_input)))
    monkeypatch.setattr(wizard_module, "ask_start_over", lambda parent: True)
    monkeypatch.setattr(context.store, "_busy_timeout_ms", 50)  # the other program never lets go: give up soon
    other = sqlite3.connect(context.store.path, timeout=0, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        assert wiz.start_over() is False
    finally:
        other.rollback()
        other.close()
    [(exc, kept)] = shown
    assert isinstance(exc, StorageError) and exc.kind == "locked" and kept is True
    assert wiz.pages[0].pid.text() == "P-LOCKED"  # the form is kept
    assert "Not started over" in wiz.draft_status.text()
    assert context.store.load_draft(wizard_module.DRAFT_KEY) is not None
    # once the database can be written, the same Start over works
    assert wiz.start_over() is True
    assert wiz.pages[0].pid.text() == "" and context.store.load_draft(wizard_module.DRAFT_KEY) is None
