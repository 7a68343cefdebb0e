"""A number typed past its range is kept as typed, named beside its field, and never saved
(red-team rt8 F1): driven key by key, as a clinician types.

A spin box refused the keystroke that took it out of range and kept what came before, so
leg pain "11" became 1 and ODI "101" became 10, saved without a word. The ranges tested
here are the instruments' own: the 0-10 numeric rating scale, the Oswestry Disability
Index 0-100 %, the Roland-Morris questionnaire 0-24 (24 items), the MRC power grades
0-5, STarT Back total 0-9 and distress subscore 0-5; each over-range and under-range
value is one past a boundary, and the boundary itself is accepted.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from .conftest import TODAY
from .keyboard import focus
from .window_steps import open_visit_dialog

VALID = {"patient": {"id": "P-NUM", "age_years": 40}, "onset_date": (TODAY - dt.timedelta(days=30)).isoformat(),
         "visit_date": TODAY.isoformat(), "side": "left", "regions": ["buttock"],
         "pain": {"leg_nrs": 6, "back_nrs": 3}}


def _wizard(window, qtbot, context):
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    wiz = window.views["intake"]
    data = dict(VALID, red_flags={k: "no" for k in wiz.page("red_flags").groups})
    wiz.load(data)
    return wiz


def _type_into(qtbot, box, text):
    """Focus the field as Tab would (its text selected), then type ``text`` one key at a time."""
    box.setFocus(Qt.TabFocusReason)
    box.selectAll()
    for ch in text:
        qtbot.keyClicks(focus(), ch)
    assert focus() is box


# (page, field attribute, case-JSON path, typed, words the error must hold)
WIZARD_CASES = [
    ("scores", "leg", "pain.leg_nrs", "11", "Leg pain is 0-10; 11 is not possible"),
    ("scores", "leg", "pain.leg_nrs", "100", "Leg pain is 0-10; 100 is not possible"),
    ("scores", "leg", "pain.leg_nrs", "-1", "Leg pain is 0-10; -1 is not possible"),
    ("scores", "leg", "pain.leg_nrs", "7.5", "Leg pain is a whole number (0-10); 7.5 is not possible"),
    ("scores", "back", "pain.back_nrs", "12", "Back pain is 0-10; 12 is not possible"),
    ("scores", "odi", "function.odi_percent", "101", "ODI is 0-100 %; 101 is not possible"),
    ("scores", "odi", "function.odi_percent", "-5", "ODI is 0-100 %; -5 is not possible"),
    ("scores", "rmdq", "function.rmdq", "25", "RMDQ is 0-24; 25 is not possible"),
    ("scores", "rmdq", "function.rmdq", "-1", "RMDQ is 0-24; -1 is not possible"),
    ("scores", "rmdq", "function.rmdq", "7a", "“7a” is not a number: RMDQ is 0-24"),
    ("patient", "age", "patient.age_years", "250", "Age is 0-120 years; 250 is not possible"),
    ("patient", "age", "patient.age_years", "-2", "Age is 0-120 years; -2 is not possible"),
    ("patient", "weight", "patient.weight_kg", "400", "Weight is 20-350 kg; 400 is not possible"),
    ("patient", "weight", "patient.weight_kg", "15", "Weight is 20-350 kg; 15 is not possible"),
    ("patient", "height", "patient.height_cm", "260", "Height is 100-250 cm; 260 is not possible"),
    ("examination", "slr_angle", "examination.slr_angle_deg", "95", "SLR angle is 0-90 degrees; 95 is not possible"),
    ("conditions", "egfr", "conditions.egfr", "250", "eGFR is 0-200 mL/min/1.73m²; 250 is not possible"),
    ("conditions", "egfr", "conditions.egfr", "-1", "eGFR is 0-200 mL/min/1.73m²; -1 is not possible"),
    ("conditions", "creat", "conditions.serum_creatinine", "2500", "Serum creatinine is 0.1-2200; 2500 is not possible"),
    ("conditions", "creat", "conditions.serum_creatinine", "0.05", "Serum creatinine is 0.1-2200; 0.05 is not possible"),
]


@pytest.mark.parametrize("page_key, attr, path, typed, words", WIZARD_CASES,
                         ids=[f"{c[1]}={c[3]}" for c in WIZARD_CASES])
def test_intake_number_past_its_range_is_kept_named_and_refused(window, qtbot, context, page_key, attr, path,
                                                                typed, words):
    wiz = _wizard(window, qtbot, context)
    wiz._go(page_key)
    page = wiz.page(page_key)
    box = getattr(page, attr)
    _type_into(qtbot, box, typed)
    assert box.text() == typed  # not a digit lost, nothing "corrected"
    error = page.form.errors[path]
    assert error.isVisible() and words in error.text()  # said as it is typed
    index = wiz.index
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Next is refused
    assert wiz.index == index and box.text() == typed
    assert words in error.text() and "to fix on this step" in wiz.page_error.text()
    # the draft keeps the number as typed, so a reopened intake shows the same problem
    wiz._keep_draft_quietly()
    kept = context.store.load_draft("intake-wizard")["data"]
    section, _, key = path.partition(".")
    if typed.lstrip("-").replace(".", "", 1).isdigit():
        stored = kept[section][key]
        stored = stored["value"] if isinstance(stored, dict) else stored
        assert stored == float(typed)


def test_intake_power_grade_past_mrc_range_is_refused(window, qtbot, context):
    wiz = _wizard(window, qtbot, context)
    wiz._go("examination")
    exam = wiz.page("examination")
    for typed in ("6", "-1", "55"):
        box = exam.power["ankle_dorsiflexion"]
        _type_into(qtbot, box, typed)
        assert box.text() == typed
        error = exam.form.errors["examination.power.ankle_dorsiflexion"]
        assert f"Ankle dorsiflexion power is 0-5; {typed} is not possible" in error.text()
        qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
        assert wiz.page("examination") is wiz.pages[wiz.index]
    _type_into(qtbot, exam.power["ankle_dorsiflexion"], "5")  # the boundary is a grade
    assert not exam.form.errors["examination.power.ankle_dorsiflexion"].isVisible()
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    assert wiz.pages[wiz.index] is wiz.page("scores")


def test_start_back_totals_past_their_range_are_refused(window, qtbot, context):
    wiz = _wizard(window, qtbot, context)
    wiz._go("scores")
    scores = wiz.page("scores")
    scores.start_back.set_mode("totals")
    _type_into(qtbot, scores.sb_total, "10")
    _type_into(qtbot, scores.sb_distress, "6")
    errors = scores.form.errors
    assert "STarT Back total score is 0-9; 10 is not possible" in errors["start_back.total"].text()
    assert "STarT Back psychosocial" in errors["start_back.distress"].text() and "6 is not possible" in \
        errors["start_back.distress"].text()
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    assert wiz.pages[wiz.index] is scores
    assert scores.sb_total.text() == "10" and scores.sb_distress.text() == "6"


def test_leg_pain_11_is_never_saved_and_ten_goes_on(window, qtbot, context):
    """The report's case: 10 typed with the second key pressed twice; corrected, the case saves with 10."""
    wiz = _wizard(window, qtbot, context)
    wiz._go("scores")
    scores = wiz.page("scores")
    _type_into(qtbot, scores.leg, "11")
    for _ in range(len(wiz.pages)):
        qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    assert wiz.pages[wiz.index] is scores and not context.store.has_case(f"P-NUM-{VALID['onset_date']}")
    _type_into(qtbot, scores.leg, "10")
    assert not scores.form.errors["pain.leg_nrs"].isVisible()
    while wiz.index < len(wiz.pages) - 1:
        before = wiz.index
        qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
        assert wiz.index == before + 1, wiz.page_error.text()
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Save
    case = context.store.get_case(f"P-NUM-{VALID['onset_date']}")
    assert case.intake.leg_nrs == 10


def test_save_on_the_last_step_refuses_a_number_out_of_range_on_an_earlier_step(window, qtbot, context):
    """A draft reopened at its last step never went through Next: Save checks every step's numbers."""
    wiz = _wizard(window, qtbot, context)
    wiz.page("scores").leg.setValue(99)  # as a draft or file could hold it
    wiz._go("review")
    qtbot.keyClick(focus() or wiz, Qt.Key_Return, Qt.ControlModifier)
    assert wiz.pages[wiz.index] is wiz.page("scores")
    assert "Leg pain is 0-10; 99 is not possible" in wiz.page("scores").form.errors["pain.leg_nrs"].text()
    assert wiz.page("scores").leg.text() == "99"
    assert not context.store.has_case(f"P-NUM-{VALID['onset_date']}")


def test_arrow_keys_step_within_the_range_and_clear_to_not_recorded(window, qtbot, context):
    wiz = _wizard(window, qtbot, context)
    wiz._go("scores")
    rmdq = wiz.page("scores").rmdq
    rmdq.setFocus()
    assert rmdq.text() == "" and rmdq.placeholderText() == "Not recorded"
    qtbot.keyClick(rmdq, Qt.Key_Up)
    assert rmdq.value() == 0
    qtbot.keyClick(rmdq, Qt.Key_Down)  # below the lowest: Not recorded again
    assert rmdq.text() == "" and rmdq.value() is None
    _type_into(qtbot, rmdq, "23")
    for _ in range(3):
        qtbot.keyClick(rmdq, Qt.Key_Up)
    assert rmdq.value() == 24  # never past the top
    _type_into(qtbot, rmdq, "30")
    qtbot.keyClick(rmdq, Qt.Key_Down)  # from out of range, an arrow comes back inside it
    assert rmdq.value() == 24 and not wiz.page("scores").form.errors["function.rmdq"].isVisible()


def test_typed_age_can_be_cleared_with_delete(window, qtbot, context):
    """rt8 F11: Ctrl+A, Delete, Tab clears the age (it used to come back)."""
    wiz = _wizard(window, qtbot, context)
    age = wiz.page("patient").age
    age.setFocus()
    qtbot.keyClick(age, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClick(age, Qt.Key_Delete)
    qtbot.keyClick(age, Qt.Key_Tab)
    assert age.text() == "" and age.value() is None


def test_a_decimal_is_kept_to_the_last_digit(window, qtbot, context):
    wiz = _wizard(window, qtbot, context)
    patient = wiz.page("patient")
    _type_into(qtbot, patient.weight, "70.25")
    assert patient.weight.text() == "70.25" and wiz.case_dict()["patient"]["weight_kg"] == 70.25
    wiz._go("scores")
    _type_into(qtbot, wiz.page("scores").odi, "44.4")  # an ODI with one section unanswered
    assert wiz.case_dict()["function"]["odi_percent"] == 44.4


# ---------------------------------------------------------------------------- the follow-up visit dialog
def _visit_dialog(window, qtbot):
    return open_visit_dialog(window, qtbot, "P-DUE-case")


VISIT_CASES = [
    ("leg", "visit.leg_nrs", "11", "Leg pain now is 0-10; 11 is not possible"),
    ("leg", "visit.leg_nrs", "-1", "Leg pain now is 0-10; -1 is not possible"),
    ("back", "visit.back_nrs", "15", "Back pain now is 0-10; 15 is not possible"),
    ("odi", "visit.odi_percent", "101", "ODI is 0-100 %; 101 is not possible"),
    ("rmdq", "visit.rmdq", "25", "RMDQ is 0-24; 25 is not possible"),
    ("rmdq", "visit.rmdq", "-3", "RMDQ is 0-24; -3 is not possible"),
]


@pytest.mark.parametrize("attr, path, typed, words", VISIT_CASES, ids=[f"{c[0]}={c[2]}" for c in VISIT_CASES])
def test_visit_number_past_its_range_is_kept_and_not_saved(window, qtbot, context, attr, path, typed, words):
    dialog = _visit_dialog(window, qtbot)
    before = len(context.store.get_case("P-DUE-case").visits)
    box = getattr(dialog, attr)
    _type_into(qtbot, box, typed)
    assert box.text() == typed and words in dialog.form.errors[path].text()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert dialog.isVisible() and box.text() == typed and words in dialog.form.errors[path].text()
    assert len(context.store.get_case("P-DUE-case").visits) == before
    dialog.reject() if not hasattr(dialog, "discard_without_asking") else dialog.discard_without_asking()


def test_visit_leg_pain_ten_saves_as_ten(window, qtbot, context):
    dialog = _visit_dialog(window, qtbot)
    _type_into(qtbot, dialog.leg, "10")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert not dialog.isVisible()
    assert context.store.get_case("P-DUE-case").visits[-1].leg_nrs == 10


# ---------------------------------------------------------------------------- settings
def _settings(window, qtbot):
    window.show_view("settings")
    return window.views["settings"]


def test_settings_number_past_its_range_is_kept_and_not_saved(window, qtbot, context):
    settings = _settings(window, qtbot)
    box = settings.fields["resolved_leg_nrs_max"]
    before = context.review_settings().resolved_leg_nrs_max
    _type_into(qtbot, box, "11")
    assert box.text() == "11"
    qtbot.mouseClick(settings.save_button, Qt.LeftButton)
    assert box.text() == "11"
    assert "is 0-10; 11 is not possible" in settings.form.errors["resolved_leg_nrs_max"].text()
    assert context.review_settings().resolved_leg_nrs_max == before
    qtbot.keyClick(box, Qt.Key_A, Qt.ControlModifier)  # a required setting left empty is named too, not saved as 0
    qtbot.keyClick(box, Qt.Key_Delete)
    assert box.text() == ""
    qtbot.mouseClick(settings.save_button, Qt.LeftButton)
    assert "type a number (0-10)" in settings.form.errors["resolved_leg_nrs_max"].text()
    assert context.review_settings().resolved_leg_nrs_max == before


def test_number_of_backups_to_keep_past_its_range_is_not_saved(window, qtbot, context):
    from radiculopathy_desktop.storage import backup_settings as bs
    settings = _settings(window, qtbot)
    keep = settings.backups.keep
    before = bs.get_backup_keep(context.store)
    for typed in ("0", "400"):
        _type_into(qtbot, keep, typed)
        qtbot.mouseClick(settings.save_button, Qt.LeftButton)
        assert keep.text() == typed and f"{typed} is not possible" in settings.message.text()
        assert bs.get_backup_keep(context.store) == before


@pytest.mark.parametrize("typed, words", [("-100", "gabapentin -100 mg a day is not a dose"),  # window31: named as typed
                                          ("200000", "between 0 and 100000 mg (got 200000)"),
                                          ("1,200", "the daily dose must be a number of mg")])
def test_a_daily_dose_out_of_range_is_kept_and_refused(window, qtbot, context, typed, words):
    """The medicine table's dose is typed text, kept as typed; the domain's 0-100000 mg check refuses it."""
    wiz = _wizard(window, qtbot, context)
    wiz._go("conditions")
    page = wiz.page("conditions")
    def key(k, mod=Qt.NoModifier):
        qtbot.keyClick(focus(), k, mod)
        QApplication.processEvents()  # what a person's pause between keys lets happen

    def type_(text):
        for ch in text:  # the first key opens the cell's editor: each key to the focus of its time
            qtbot.keyClicks(focus(), ch)
            QApplication.processEvents()

    key(Qt.Key_M, Qt.AltModifier)  # Add medicine
    type_("gabapentin")
    key(Qt.Key_Return)
    key(Qt.Key_Right)
    type_(typed)
    key(Qt.Key_Return)
    assert page.meds.item(0, 1).text() == typed
    index = wiz.index
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == index and page.meds.item(0, 1).text() == typed
    shown = " ".join(label.text() for label in page.form.errors.values()) + wiz.page_error.text()
    assert words in shown


@pytest.mark.parametrize("typed", ["4+", "4-", "4.5"])
def test_an_mrc_grade_with_a_modifier_says_how_to_record_it(window, qtbot, context, typed):
    """The case format keeps whole MRC grades 0-5; a physiotherapist's "4+" or "4-" was refused as
    '"4+" is not a number' with no word on how to record it (gp16 F8). Refused still (nothing is
    rounded silently), with how: at the intake and at a visit."""
    wiz = _wizard(window, qtbot, context)
    wiz._go("examination")
    exam = wiz.page("examination")
    _type_into(qtbot, exam.power["hip_flexion"], typed)
    error = exam.form.errors["examination.power.hip_flexion"].text()
    assert "record 4+ or 4- as 4" in error and "Hip flexion power" in error
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    assert wiz.pages[wiz.index] is exam  # refused: not rounded into a grade
    _type_into(qtbot, exam.power["hip_flexion"], "4")
    assert not exam.form.errors["examination.power.hip_flexion"].isVisible()


def test_a_visit_grade_with_a_modifier_says_how_to_record_it(window, qtbot, context):
    from radiculopathy_desktop.domain.intake import parse_case

    from .conftest import case_dict
    context.store.import_cases([parse_case(case_dict("P-MRC", "Mo Modifier", 30))])
    dialog = open_visit_dialog(window, qtbot, "P-MRC-case")
    box = dialog.power["ankle_dorsiflexion"]
    box.setFocus()
    qtbot.keyClicks(box, "4-")
    assert "record 4+ or 4- as 4" in box.problem()
    dialog.close()
