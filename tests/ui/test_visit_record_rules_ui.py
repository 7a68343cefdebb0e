"""Red-team rt13 F7, F2, F3 in the window, driven as a GP would with the keyboard.

* F7: Enter at once in the visit dialog saves nothing: the dialog says what to record and
  keeps what was typed; the worklist is unchanged.
* F2: the visit dialog offers the intake's muscle grades (MRC 0-5, "Not recorded" by default),
  reached by Tab, refuses impossible grades, saves them as `visit --power` does, and says a
  muscle graded weaker than before but still MRC 4 without re-raising the case.
* F3: discharge or "patient declined" over unanswered cauda equina questions asks, naming
  them (Go back the default), and the confirmation is audited; continue does not ask.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.vocabulary import MUSCLE_GROUPS

from .conftest import TODAY, case_dict
from .keyboard import tab_until
from .window_steps import open_decision_dialog, open_visit_dialog, worklist_status


def _save_with_enter(qtbot, dialog):
    """Ctrl+Return saves from any field (plain Return goes on to the next field: gp14 G11)."""
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Return, Qt.ControlModifier)


# --------------------------------------------------------------------------- F7
def test_enter_at_once_saves_no_empty_visit_and_says_what_to_record(window, qtbot, context):
    for case_id, status in (("P-NFU-case", "Needs follow-up"), ("P-DUE-case", "Due")):
        assert worklist_status(window, case_id) == status
        visits = context.store.get_case(case_id).visits
        dialog = open_visit_dialog(window, qtbot, case_id)
        qtbot.keyClicks(dialog.clinician, "Dr Invented")  # a name alone records nothing either
        dialog.date.setFocus()
        _save_with_enter(qtbot, dialog)
        assert dialog.isVisible()
        assert "Nothing is recorded for this visit" in dialog.general_error.text()
        assert "muscle grade" in dialog.general_error.text()
        assert dialog.clinician.text() == "Dr Invented"  # what was typed is kept
        assert context.store.get_case(case_id).visits == visits
        assert worklist_status(window, case_id) == status
        # one score typed: saved
        dialog.leg.setFocus()
        qtbot.keyClicks(dialog.leg, "5")
        _save_with_enter(qtbot, dialog)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        assert len(context.store.get_case(case_id).visits) == len(visits) + 1


def test_a_note_alone_is_a_record(window, qtbot, context):
    dialog = open_visit_dialog(window, qtbot, "P-NFU-case")
    dialog.notes.setFocus()
    qtbot.keyClicks(dialog.notes, "Telephone review: no change")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    (visit,) = context.store.get_case("P-NFU-case").visits
    assert visit.notes == "Telephone review: no change" and visit.leg_nrs is None


# --------------------------------------------------------------------------- F2
POWER = {"hip_flexion": 5, "knee_extension": 5, "ankle_dorsiflexion": 3, "great_toe_extension": 3,
         "plantar_flexion": 5, "ankle_eversion": 5}


def _weak_case(context, decided: bool = True):
    data = case_dict("P-PWR", "Pat Power", 30, red_flags={"progressive_neurological_deficit": "no"})
    data["examination"] = {"power": POWER}
    if decided:
        data["decisions"] = [{"date": (TODAY - dt.timedelta(days=5)).isoformat(), "kind": "continue_conservative_care",
                              "until": (TODAY + dt.timedelta(days=30)).isoformat(), "by": "Dr A",
                              "acknowledged_red_flags": ["severe_motor_deficit"]}]
    context.store.import_cases([parse_case(data)], user="test")
    return "P-PWR-case"


def test_the_visit_dialog_offers_every_intake_muscle_not_recorded_by_default(window, qtbot, context):
    dialog = open_visit_dialog(window, qtbot, "P-DUE-case")
    assert list(dialog.power) == list(MUSCLE_GROUPS)
    wizard = window.show_view("intake")
    (exam,) = [page for page in wizard.pages if hasattr(page, "power")]
    assert list(dialog.power) == list(exam.power)  # the same muscles as the intake's examination
    for key, box in dialog.power.items():
        assert box.value() is None and box.accessibleName() == f"{MUSCLE_GROUPS[key]} power, MRC 0 to 5"
    assert not dialog.weaker_label.isVisible()
    dialog.close()


def test_grades_reached_by_tab_after_the_scores_and_saved_as_the_cli_power(window, qtbot, context):
    case_id = _weak_case(context)
    dialog = open_visit_dialog(window, qtbot, case_id)
    dialog.rmdq.setFocus()
    qtbot.keyClick(dialog.rmdq, Qt.Key_Tab)
    assert QApplication.focusWidget() is dialog.power["hip_flexion"]  # the first muscle follows the scores
    order = list(MUSCLE_GROUPS)
    for key in order[1:]:  # each grade in the examination's order, one Tab apart
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        assert QApplication.focusWidget() is dialog.power[key]
    tab_until(qtbot, lambda w: w is dialog.rescreen)  # the red-flag box comes after the grades
    qtbot.keyClick(dialog.rescreen, Qt.Key_P, Qt.AltModifier)  # Alt+P: back to the first muscle
    assert QApplication.focusWidget() is dialog.power["hip_flexion"]
    dialog.power["knee_extension"].setFocus()
    qtbot.keyClicks(dialog.power["knee_extension"], "4")
    # said at once: weaker than before but MRC 4, with the question to answer
    assert dialog.weaker_label.isVisible()
    assert dialog.weaker_label.text().startswith("Knee extension graded 4 (5 at the intake): if the weakness is "
                                                 "progressing, answer 'progressive neurological deficit'")
    dialog.power["ankle_dorsiflexion"].setFocus()
    qtbot.keyClicks(dialog.power["ankle_dorsiflexion"], "3")  # unchanged: not weaker
    assert "dorsiflexion" not in dialog.weaker_label.text().lower()
    _save_with_enter(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    (visit,) = context.store.get_case(case_id).visits
    assert dict(visit.power) == {"knee_extension": 4, "ankle_dorsiflexion": 3}
    assert context.store.review(case_id, TODAY).status.value == "snoozed"  # said, not re-raised


def test_a_grade_of_3_weaker_than_before_makes_the_case_immediate(window, qtbot, context):
    case_id = _weak_case(context)
    dialog = open_visit_dialog(window, qtbot, case_id)
    dialog.power["plantar_flexion"].setFocus()
    qtbot.keyClicks(dialog.power["plantar_flexion"], "3")
    assert not dialog.weaker_label.isVisible()  # the MRC 3 rule raises it instead
    # said as typed, before Save (gp14 G18): what to do now, pinned above the form
    assert dialog.banner.isVisible()
    assert "plantar flexion 3/5" in dialog.banner.text() and "Immediate" in dialog.banner.text()
    _save_with_enter(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert context.store.review(case_id, TODAY).status.value == "immediate"


def test_impossible_grades_are_refused_and_nothing_is_saved(window, qtbot, context):
    dialog = open_visit_dialog(window, qtbot, "P-DUE-case")
    visits = context.store.get_case("P-DUE-case").visits
    for typed in ("6", "-1", "4.5", "x", "٤"):
        box = dialog.power["great_toe_extension"]
        box.setFocus()
        box.selectAll()
        if typed.isascii():
            qtbot.keyClicks(box, typed)
        else:  # an Arabic-Indic digit, as an input method types it (QTest sends ASCII keys only)
            box.insert(typed)
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
        assert dialog.isVisible(), typed
        assert context.store.get_case("P-DUE-case").visits == visits, typed
        assert dialog.form.errors["visit.power.great_toe_extension"].isVisible() or dialog.general_error.text(), typed
        box.selectAll()
        qtbot.keyClick(box, Qt.Key_Delete)
    dialog.close()


# --------------------------------------------------------------------------- F3
def _ces_unknown(context):
    data = case_dict("P-UNK", "Una Known", 20, red_flags={"saddle_anaesthesia": "unknown"})
    context.store.import_cases([parse_case(data)], user="test")
    assert context.store.review("P-UNK-case", TODAY).status.value == "ask_red_flags"
    return "P-UNK-case"


def _choose_and_save(qtbot, dialog, kind):
    qtbot.mouseClick(dialog.kind.buttons[kind], Qt.LeftButton)
    qtbot.keyClick(dialog.kind.buttons[kind], Qt.Key_Return)


def _box(qtbot, dialog):
    qtbot.waitUntil(lambda: dialog.unanswered_box is not None and dialog.unanswered_box.isVisible())
    return dialog.unanswered_box


def test_discharge_over_unanswered_questions_asks_naming_them_and_enter_goes_back(window, qtbot, context):
    case_id = _ces_unknown(context)
    dialog = open_decision_dialog(window, qtbot, case_id)
    _choose_and_save(qtbot, dialog, "resolved_discharged")
    box = _box(qtbot, dialog)
    assert "Saddle (perineal) numbness" in box.text() and "Urinary" not in box.text()
    assert box.defaultButton().text().replace("&", "") == "Go back"
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
    qtbot.keyClick(box, Qt.Key_Return)
    qtbot.waitUntil(lambda: not box.isVisible())
    assert dialog.isVisible() and context.store.get_case(case_id).decisions == ()
    assert context.store.review(case_id, TODAY).status.value == "ask_red_flags"


def test_declined_confirmed_closes_and_the_audit_names_the_questions(window, qtbot, context):
    case_id = _ces_unknown(context)
    dialog = open_decision_dialog(window, qtbot, case_id)
    _choose_and_save(qtbot, dialog, "patient_declined")
    box = _box(qtbot, dialog)
    close = next(b for b in box.buttons() if "unanswered" in b.text().replace("&", ""))
    qtbot.mouseClick(close, Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    (decision,) = context.store.get_case(case_id).decisions
    assert decision.kind == "patient_declined"
    entry = [a for a in context.store.audit(case_id) if a.action == "decision_recorded"][-1]
    assert entry.detail["closed_with_unanswered_red_flags"] == ["saddle_anaesthesia"]
    assert context.store.review(case_id, TODAY).status.value == "closed"


def test_continue_over_unanswered_questions_does_not_ask(window, qtbot, context):
    case_id = _ces_unknown(context)
    dialog = open_decision_dialog(window, qtbot, case_id)
    _choose_and_save(qtbot, dialog, "continue_conservative_care")
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.unanswered_box is None
    entry = [a for a in context.store.audit(case_id) if a.action == "decision_recorded"][-1]
    assert "closed_with_unanswered_red_flags" not in entry.detail
    assert context.store.review(case_id, TODAY).status.value == "ask_red_flags"


# --------------------------------------------------------------------------- gp14 G18, G11
def test_a_new_grade_of_3_says_what_to_do_now_as_typed_and_shows_the_grade_before(window, qtbot, context):
    """gp14 G18: ankle dorsiflexion 4/5 at the intake, 3 typed at the visit: the same-day
    referral banner appears as the grade is typed (the case will be Immediate once saved), not
    only after Save; the grade standing before is beside each muscle."""
    data = case_dict("P-G18", "Gail Grade", 20)
    data["examination"] = {"power": {**POWER, "ankle_dorsiflexion": 4, "great_toe_extension": 4}}
    context.store.import_cases([parse_case(data)], user="test")
    dialog = open_visit_dialog(window, qtbot, "P-G18-case")
    spin_box = dialog.power["ankle_dorsiflexion"]
    form = dialog.power_box.layout()
    label = form.labelForField(spin_box) or form.labelForField(spin_box.parentWidget())
    assert label is not None and "(before: 4/5)" in label.text()
    assert not dialog.banner.isVisible()
    dialog.power["ankle_dorsiflexion"].setFocus()
    qtbot.keyClicks(dialog.power["ankle_dorsiflexion"], "4")
    assert not dialog.banner.isVisible()  # 4, as before: nothing to say
    dialog.power["ankle_dorsiflexion"].selectAll()
    qtbot.keyClicks(dialog.power["ankle_dorsiflexion"], "3")
    assert dialog.banner.isVisible()
    assert "ankle dorsiflexion 3/5" in dialog.banner.text().lower()
    assert "Immediate" in dialog.banner.text()
    dialog.power["ankle_dorsiflexion"].selectAll()
    qtbot.keyClicks(dialog.power["ankle_dorsiflexion"], "5")  # a typo corrected: the banner goes
    assert not dialog.banner.isVisible()
    dialog.power["ankle_dorsiflexion"].selectAll()
    qtbot.keyClicks(dialog.power["ankle_dorsiflexion"], "2")
    assert dialog.banner.isVisible()
    _save_with_enter(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert context.store.review("P-G18-case", TODAY).status.value == "immediate"


def test_return_in_a_field_goes_on_and_never_saves_a_half_typed_visit(window, qtbot, context):
    """gp14 G11: leg pain typed, Return (as one does after a number): the visit is not saved;
    the focus goes on to the next field, what was typed stays; Ctrl+Return saves."""
    visits = context.store.get_case("P-DUE-case").visits
    dialog = open_visit_dialog(window, qtbot, "P-DUE-case")
    dialog.leg.setFocus()
    qtbot.keyClicks(dialog.leg, "6")
    qtbot.keyClick(dialog.leg, Qt.Key_Return)
    assert dialog.isVisible()
    assert QApplication.focusWidget() is not dialog.leg  # moved on (the back pain field)
    assert context.store.get_case("P-DUE-case").visits == visits
    qtbot.keyClicks(QApplication.focusWidget(), "3")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Enter, Qt.KeypadModifier)  # the keypad's Enter too
    assert dialog.isVisible() and context.store.get_case("P-DUE-case").visits == visits
    _save_with_enter(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    (*_, visit) = context.store.get_case("P-DUE-case").visits
    assert (visit.leg_nrs, visit.back_nrs) == (6, 3)
