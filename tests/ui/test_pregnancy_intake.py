"""A pregnancy recorded in the intake window (gp14 G1), typed as a clinician would.

The medicine rules that depend on a pregnancy were reachable only from an imported file:
in the window a woman 32 weeks pregnant taking ibuprofen was rated OK. The Patient step now
asks "Pregnant?" (Unknown / No / Yes with the weeks) beside the sex. The boundaries checked
come from the rules' primary source, FDA Drug Safety Communication 2020 (NSAIDs: avoid from
20 weeks of pregnancy; the NSAID labels already said avoid from 30 weeks), not from the code:
19 weeks is not yet the 20-week advice, 20 is, 29 is not yet the 30-week one, 30 is.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.domain.intake import PREGNANCY_WEEKS_RANGE

from .keyboard import focus, tab_until, type_here
from .test_draft_autosave import new_wizard

AVOID_20 = "avoid NSAIDs from 20 weeks"
CONTRA_30 = "do not use NSAIDs from 30 weeks"


def key(qtbot, k, modifier=Qt.NoModifier):
    qtbot.keyClick(focus(), k, modifier)
    QApplication.processEvents()


def type_keys(qtbot, text: str) -> None:
    """One key at a time, each to the field focused then (the medicine table opens its editor on
    the first letter, as it does for a person typing)."""
    for ch in text:
        qtbot.keyClicks(focus(), ch)
        QApplication.processEvents()


def patient_step(qtbot, wiz, *, sex_letter="f", answer_letter=None, weeks=None):
    """The Patient step by keyboard up to (not past) the onset date: ID, name, birth date,
    the sex by its first letter, then Alt+R and the pregnancy answer's letter, Alt+K and the weeks."""
    p = wiz.pages[0]
    p.pid.setFocus()
    type_here(qtbot, "P-PREG")
    key(qtbot, Qt.Key_Tab)
    type_here(qtbot, "Priya Pregnant")
    key(qtbot, Qt.Key_Tab)
    type_here(qtbot, "1994-06-01")
    tab_until(qtbot, lambda w: w is p.sex)
    qtbot.keyClicks(focus(), sex_letter)
    if answer_letter:
        key(qtbot, Qt.Key_R, Qt.AltModifier)
        assert focus() is p.pregnant
        qtbot.keyClicks(focus(), answer_letter)
    if weeks is not None:
        key(qtbot, Qt.Key_K, Qt.AltModifier)
        assert focus() is p.weeks
        type_here(qtbot, weeks)
    key(qtbot, Qt.Key_T, Qt.AltModifier)
    assert focus() is p.onset
    type_here(qtbot, "2026-02-10")
    return p


def to_review(qtbot, wiz, medicine=("ibuprofen", "1200")):
    """From the Patient step to Review as a user does: Ctrl+Return, the right leg and the
    buttock, N to every red-flag question, the pain and ODI scores, one medicine with its daily dose."""
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 1, {k: v.text() for k, v in wiz.pages[0].form.errors.items() if v.text()}
    s = wiz.pages[1]
    key(qtbot, Qt.Key_Right)
    if s.side.value() != "right":
        key(qtbot, Qt.Key_Space)
    tab_until(qtbot, lambda w: w is s.diagram)
    key(qtbot, Qt.Key_Space)
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 2
    for _group in wiz.pages[2].groups.values():
        key(qtbot, Qt.Key_N)
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 3
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 4
    for score in ("6", "3", "30"):  # leg pain, back pain, ODI %
        qtbot.keyClicks(focus(), score)
        key(qtbot, Qt.Key_Tab)
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 5, {k: v.text() for k, v in wiz.pages[4].form.errors.items() if v.text()}
    if medicine:
        key(qtbot, Qt.Key_M, Qt.AltModifier)
        type_keys(qtbot, medicine[0])
        key(qtbot, Qt.Key_Return)
        key(qtbot, Qt.Key_Right)
        type_keys(qtbot, medicine[1])
        key(qtbot, Qt.Key_Return)
        assert wiz.pages[5].medicines()[0] == [{"name": medicine[0], "daily_dose_mg": float(medicine[1])}]
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 6
    return wiz.pages[6]


def review_text(review) -> str:
    return review.summary.text() + "\n" + review.browser.toPlainText()


def back_to_weeks(qtbot, wiz, weeks: str) -> None:
    """From Review back to the Patient step with Alt+B (one step each), the weeks retyped,
    then Ctrl+Return through the filled steps to Review again."""
    while wiz.index > 0:
        key(qtbot, Qt.Key_B, Qt.AltModifier)
    key(qtbot, Qt.Key_K, Qt.AltModifier)
    type_here(qtbot, weeks)
    for _ in range(6):
        key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 6


def start(window, qtbot):
    key(qtbot, Qt.Key_N, Qt.ControlModifier)
    return window.views["intake"]


def test_weeks_typed_reach_the_review_with_the_fda_nsaid_boundaries_and_the_saved_case(window, qtbot, context):
    wiz = start(window, qtbot)
    patient_step(qtbot, wiz, answer_letter="y", weeks="19")
    review = to_review(qtbot, wiz)
    text = review_text(review)
    assert "Pregnant, 19 weeks" in text
    assert "Pregnant, 19 weeks: acetaminophen is the usual analgesic in pregnancy" in text  # caution only
    assert AVOID_20 not in text and CONTRA_30 not in text

    back_to_weeks(qtbot, wiz, "20")
    text = review_text(wiz.pages[6])
    assert "Pregnant, 20 weeks" in text and AVOID_20 in text and CONTRA_30 not in text

    back_to_weeks(qtbot, wiz, "29")
    text = review_text(wiz.pages[6])
    assert AVOID_20 in text and CONTRA_30 not in text

    back_to_weeks(qtbot, wiz, "30")
    text = review_text(wiz.pages[6])
    assert CONTRA_30 in text
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)  # Save case
    qtbot.waitUntil(lambda: window.patient_view.case_id is not None)
    case = context.store.get_case(window.patient_view.case_id)
    assert case.patient.pregnancy_weeks == 30
    assert [m.name for m in case.intake.medicines] == ["ibuprofen"]
    view = window.patient_view
    # the visit is today: the weeks on today's date are those typed
    assert f"Pregnant, 30 weeks on {case.intake.visit_date.isoformat()} (at the intake)" in view.title.text()
    qtbot.waitUntil(lambda: CONTRA_30 in view.medicine_alert_banner.text())  # the assessment comes in its worker


def test_impossible_weeks_are_refused_beside_the_field_and_kept_as_typed(window, qtbot):
    wiz = start(window, qtbot)
    p = patient_step(qtbot, wiz, answer_letter="y", weeks="50")
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 0
    error = p.form.errors["patient.pregnancy_weeks"].text()
    lo, hi = PREGNANCY_WEEKS_RANGE
    assert "50" in error and f"{lo}" in error and f"{hi}" in error, error
    assert p.weeks.text() == "50"  # kept as typed, never clipped into range

    key(qtbot, Qt.Key_K, Qt.AltModifier)
    type_here(qtbot, "abc")
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 0
    assert "“abc” is not a number: Weeks of pregnancy is" in p.form.errors["patient.pregnancy_weeks"].text()
    assert p.weeks.text() == "abc"

    key(qtbot, Qt.Key_K, Qt.AltModifier)
    type_here(qtbot, "")
    qtbot.keyClick(focus(), Qt.Key_Backspace)
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 0  # "yes" needs the weeks: the rules depend on them
    assert "weeks of pregnancy" in p.form.errors["patient.pregnancy_weeks"].text()

    key(qtbot, Qt.Key_K, Qt.AltModifier)
    type_here(qtbot, str(hi))
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 1
    assert wiz.case_dict()["patient"]["pregnancy_weeks"] == hi


def test_the_question_follows_the_recorded_sex_and_a_yes_is_never_dropped(window, qtbot):
    wiz = start(window, qtbot)
    p = patient_step(qtbot, wiz, sex_letter="m")
    assert not p.pregnant.isVisibleTo(p) and not p.weeks.isVisibleTo(p)  # not offered for a man
    assert "pregnancy_weeks" not in wiz.case_dict()["patient"]

    p.sex.setFocus()
    qtbot.keyClicks(focus(), "f")
    assert p.pregnant.isVisibleTo(p) and not p.weeks.isVisibleTo(p)  # the weeks only for a yes
    key(qtbot, Qt.Key_R, Qt.AltModifier)
    qtbot.keyClicks(focus(), "y")
    assert p.weeks.isVisibleTo(p)
    key(qtbot, Qt.Key_K, Qt.AltModifier)
    type_here(qtbot, "12")

    # the sex changed after the answer: the yes and its weeks stay on screen, Next names the clash
    p.sex.setFocus()
    qtbot.keyClicks(focus(), "m")
    assert p.sex.currentData() == "male"
    assert p.pregnant.isVisibleTo(p) and p.weeks.text() == "12"
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 0
    assert "male patient" in p.form.errors["patient.pregnancy_weeks"].text()

    # the sex corrected: on it goes with the pregnancy
    p.sex.setFocus()
    qtbot.keyClicks(focus(), "f")
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 1
    assert wiz.case_dict()["patient"]["pregnancy_weeks"] == 12

    # "other" and "unknown" may be pregnant too: the question is offered
    for letter in ("o", "u"):
        p.sex.setFocus()
        qtbot.keyClicks(focus(), letter)
        assert p.pregnant.isVisibleTo(p)


def test_a_no_is_shown_on_review_and_a_not_asked_says_so(window, qtbot):
    wiz = start(window, qtbot)
    patient_step(qtbot, wiz, answer_letter="n")
    review = to_review(qtbot, wiz)
    text = review_text(review)
    assert "Not pregnant (answered no; saved with the case)" in text
    assert AVOID_20 not in text
    while wiz.index > 0:
        key(qtbot, Qt.Key_B, Qt.AltModifier)
    key(qtbot, Qt.Key_R, Qt.AltModifier)
    qtbot.keyClicks(focus(), "u")
    for _ in range(6):
        key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    assert "Pregnancy not asked" in review_text(wiz.pages[6])


def test_the_draft_keeps_the_answer_and_the_weeks(qtbot, context):
    wiz = new_wizard(qtbot, context)
    p = wiz.pages[0]
    p.sex.setFocus()
    qtbot.keyClicks(focus(), "f")
    p.pregnant.setFocus()
    qtbot.keyClicks(focus(), "n")
    assert wiz.keep_draft()
    again = new_wizard(qtbot, context)
    assert again.pages[0].pregnancy_answer() == "no"  # a "no" is not brought back as "not asked"

    again.pages[0].pregnant.setFocus()
    qtbot.keyClicks(focus(), "y")
    assert again.keep_draft()
    third = new_wizard(qtbot, context)
    assert third.pages[0].pregnancy_answer() == "yes" and third.pages[0].weeks.text() == ""

    third.pages[0].weeks.setFocus()
    qtbot.keyClicks(focus(), "24")
    assert third.keep_draft()
    last = new_wizard(qtbot, context)
    assert last.pages[0].pregnancy_answer() == "yes" and last.pages[0].weeks.text() == "24"
    assert last.case_dict()["patient"]["pregnancy_weeks"] == 24
