"""redflag36 (H-UI-547..549): the follow-up visit form ("Add visit") and the handout dialog say the
case's ONE next-visit decision (``domain.monitoring.next_visit_decision``: the triage tier, and whether
a referral is awaited), the same as the assessment on the case page. Driven with keys and clicks.

The visit form said "book the next visit within 14 days" to every patient 65 or over, whatever the tier.
Primary sources, as the triage data cites them (resources/rules/red_flags.toml): cauda equina syndrome is
an emergency (NICE CKS Sciatica, interpreting red flags: "would usually warrant immediate admission";
GIRFT National Suspected CES Pathway 2023); a progressive deficit is urgent, same day (Manchester spinal
pathway, ACP 2011); night or rest pain alone does not raise the tier (NICE NG59 1.1.1 / [notes]): the
routine visit stands, within 2 weeks at most at 65 or over (seed summary 2, follow_up_interval item).
Ages 64 and 65 on both sides of that boundary (Beers Criteria age)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.vocabulary import clinic_date

from .conftest import TODAY, case_dict
from .keyboard import answer_by_keyboard, tab_until
from .window_steps import back_to_window, open_visit_dialog

#: answers at the latest visit -> the triage tier the assessment gives
FLAGS = {
    "emergency (cauda equina)": ({"saddle_anaesthesia": "yes"}, "emergency"),
    "urgent (progressive deficit)": ({"progressive_neurological_deficit": "yes"}, "urgent"),
    "soon/routine (night pain alone)": ({"night_or_rest_pain": "yes"}, "routine"),
    "no red flag": ({}, "routine"),
}
TIER_WORDS = {"emergency": "EMERGENCY", "urgent": "URGENT (same day)"}


def _add(context, pid: str, flags: dict, age: int) -> str:
    visit = {"date": (TODAY - dt.timedelta(days=1)).isoformat(), "leg_nrs": 7, "back_nrs": 4, "odi_percent": 42,
             "red_flags": flags}
    data = case_dict(pid, "Vera Visit", 70, visits=[visit])
    data["patient"]["age_years"] = age
    context.store.import_cases([parse_case(data)], user="test")
    return f"{pid}-case"


def _next_visit_line(dialog) -> str:
    lines = [line for line in dialog.monitoring.label.text().split("\n") if line.startswith("• Next visit: ")]
    assert len(lines) == 1
    return lines[0]


def _handout(qtbot, window):
    qtbot.keyClick(window, Qt.Key_P, Qt.ControlModifier)
    from radiculopathy_desktop.ui import exports
    dialog = window.patient_view.findChildren(exports.HandoutDialog)[-1]
    qtbot.waitExposed(dialog)
    return dialog


@pytest.mark.parametrize("age", [64, 65])
@pytest.mark.parametrize("label", list(FLAGS))
def test_visit_form_and_handout_dialog_say_the_assessments_next_visit(window, qtbot, context, label, age):
    flags, tier = FLAGS[label]
    case_id = _add(context, "P-NV", flags, age)
    case = context.store.get_case(case_id)
    assert case.patient.age_on(TODAY) == age
    assessed = assess_case(case, TODAY, context.profile())
    assert assessed.triage.tier.value == tier
    dialog = open_visit_dialog(window, qtbot, case_id)
    shown = dialog.monitoring.label.text()
    line = _next_visit_line(dialog)
    assert "book the next visit within" not in shown
    assert ("balance problems and falls are more likely" in shown) == (age >= 65)
    if tier != "routine":
        assert assessed.next_visit is None
        assert line.startswith(f"• Next visit: {TIER_WORDS[tier]} red flag (")
        assert "no routine next visit; act on the red flag now" in line
        assert "14 days" not in shown and "Suggested next visit" not in shown
    else:
        assert f"Suggested next visit: {clinic_date(assessed.next_visit)}." in line
        assert ("within 14 days at most" in line) == (age >= 65)
        interval = next(m for m in assessed.monitoring if m.id == "follow_up_interval")
        assert line == f"• Next visit: {interval.detail}"  # word for word the case page's
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Cancel), Qt.LeftButton)
    back_to_window(qtbot, dialog, window)
    handout = _handout(qtbot, window)
    if tier != "routine":
        assert handout.next_visit.text() == ""
        assert handout.awaiting_note.text().startswith(f"{tier.upper()} red flag (")
        req = handout.request(confirm_unrecognised=True)
        assert req.next_follow_up_date is None and req.red_flag_no_visit == tier
    else:
        assert handout.next_visit.day() == max(assessed.next_visit, TODAY)
        assert handout.awaiting_note is None
        assert handout.request(confirm_unrecognised=True).red_flag_no_visit is None
    handout.close()


def test_the_visit_form_follows_the_answers_typed_and_the_saved_case_agrees(window, qtbot, context):
    """A routine patient of 65: "within 14 days" while routine; a cauda equina yes typed at this visit
    turns the line to the red flag before saving; No again brings the routine visit back; saved with yes,
    the assessment and the handout dialog book no routine visit either."""
    case_id = _add(context, "P-TY", {}, 65)
    dialog = open_visit_dialog(window, qtbot, case_id)
    assert "within 14 days at most" in _next_visit_line(dialog)
    dialog.date.setFocus()
    tab_until(qtbot, lambda w: w is dialog.rescreen)
    qtbot.keyClick(dialog.rescreen, Qt.Key_Space)
    answer_by_keyboard(qtbot, dialog.flag_screen.groups["saddle_anaesthesia"], "yes")
    line = _next_visit_line(dialog)
    assert line.startswith("• Next visit: EMERGENCY red flag (") and "no routine next visit" in line
    assert "14 days" not in dialog.monitoring.label.text()
    answer_by_keyboard(qtbot, dialog.flag_screen.groups["saddle_anaesthesia"], "no")
    assert "within 14 days at most" in _next_visit_line(dialog)
    answer_by_keyboard(qtbot, dialog.flag_screen.groups["saddle_anaesthesia"], "yes")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    back_to_window(qtbot, dialog, window)
    saved = assess_case(context.store.get_case(case_id), TODAY, context.profile())
    assert saved.triage.tier.value == "emergency" and saved.next_visit is None
    handout = _handout(qtbot, window)
    assert handout.next_visit.text() == "" and handout.awaiting_note.isVisible()
    handout.close()
