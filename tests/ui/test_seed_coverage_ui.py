"""Issue 18 in the window: the intake records pain type and special considerations, the
follow-up visit reminds what to monitor, and the pathway and Guideline views show the new
cautions, checks and monitoring. Driven with keys and clicks as a clinician would."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from radiculopathy_desktop.domain.guideline import load_guideline
from radiculopathy_desktop.domain.monitoring import NextVisit, next_visit_decision, visit_prompts
from radiculopathy_desktop.ui import wizard as wizard_module
from radiculopathy_desktop.ui.pathway_view import assessment_html

from .conftest import TODAY


def _conditions_page(window, qtbot):
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    wiz = window.views["intake"]
    return next(p for p in wiz.pages if isinstance(p, wizard_module.ConditionsPage))


def test_pain_type_and_special_considerations_are_recorded_from_the_keyboard(window, qtbot):
    page = _conditions_page(window, qtbot)
    extras = page.extras
    # nothing ticked: nothing recorded ("not recorded" is not "no")
    assert "pain_classification" not in page.data()["conditions"]
    assert "connective_tissue_disorder" not in page.data()["conditions"]

    box = extras.pain_types["neuropathic"]
    box.setFocus()
    qtbot.keyClick(box, Qt.Key_Space)
    extras.pain_types["nociplastic"].setFocus()
    qtbot.keyClick(extras.pain_types["nociplastic"], Qt.Key_Space)
    combo = extras.special["pelvic_floor_dysfunction"]
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key_Down)  # Not recorded -> Yes
    other = extras.special["connective_tissue_disorder"]
    other.setFocus()
    qtbot.keyClick(other, Qt.Key_Down)
    qtbot.keyClick(other, Qt.Key_Down)  # -> No

    cond = page.data()["conditions"]
    assert cond["pain_classification"] == ["neuropathic", "nociplastic"]
    assert cond["pelvic_floor_dysfunction"] is True
    assert cond["connective_tissue_disorder"] is False

    # a draft reloads exactly what was entered
    page.load({"conditions": {"pain_classification": ["nociceptive"], "pelvic_floor_dysfunction": None}})
    assert [c for c, b in extras.pain_types.items() if b.isChecked()] == ["nociceptive"]
    assert extras.special["pelvic_floor_dysfunction"].currentData() == ""
    assert page.data()["conditions"]["pain_classification"] == ["nociceptive"]


def test_red_flag_symptoms_are_sent_to_the_red_flag_page_not_the_pelvic_floor_tick(window, qtbot):
    page = _conditions_page(window, qtbot)
    texts = " ".join(w.text() for w in page.extras.findChildren(QLabel))
    assert "red flags" in texts and "red-flag page" in texts


def test_follow_up_visit_reminds_what_to_monitor(window, qtbot, context):
    window.open_case("P-NFU-case")
    patient = window.patient_view
    dialog = patient.add_visit()
    qtbot.waitExposed(dialog)
    expected = visit_prompts(load_guideline(context.profile()), dialog.case.patient.age_on(TODAY),
                             next_visit_decision(dialog.case, TODAY))
    shown = dialog.monitoring.label.text()
    for line in expected:
        assert line in shown
    assert "Image again only if neurological symptoms worsen" in shown
    assert dialog.monitoring.isVisibleTo(dialog)
    dialog.reject()


def test_older_patients_get_the_shorter_follow_up_reminder_only_with_a_routine_visit():
    """redflag36 (H-UI-547): the 14-day interval at 65 or over is the follow-up interval item's, said only
    when a routine next visit stands (next_visit_decision); under a red flag there is none
    (tests/domain/test_next_visit_one_decision_redflag36.py drives every tier)."""
    g = load_guideline("uk")

    def routine(age):
        return NextVisit("routine", "routine", "", None, TODAY + dt.timedelta(days=14), age)
    assert any("within 14 days" in line for line in visit_prompts(g, 65, routine(65)))
    assert not any("within 14 days" in line for line in visit_prompts(g, 64, routine(64)))
    red = visit_prompts(g, 65, NextVisit("red_flag_now", "emergency", "Possible cauda equina syndrome", None, None,
                                         65))
    assert not any("14 days" in line for line in red)
    assert any("no routine next visit" in line for line in red)


def test_pathway_view_shows_checks_and_monitoring_with_sources():
    a = {
        "checks": [{"id": "opioid_before_nsaid", "title": "Opioid before an NSAID",
                    "why": "An opioid is recorded and no NSAID has been tried.", "text": "Opioids are not first-line.",
                    "sources": [{"guideline": "ACP 2017", "section": "Recommendation 3", "year": 2017}]}],
        "monitoring": {"next_visit": "2026-03-16", "items": [
            {"id": "reimaging", "text": "Image again only if neurological symptoms worsen.", "detail": "Not imaged.",
             "sources": [{"guideline": "ACP/APS 2007", "section": "Recommendation 3", "year": 2007}]}]},
    }
    html = assessment_html(a)
    assert "Checks for this patient" in html and "no NSAID has been tried" in html and "ACP 2017" in html
    assert "Monitoring at follow-up" in html and "16 Mar 2026" in html  # a clinic date (issue 13), not ISO


def test_guideline_view_shows_cautions_checks_and_the_uk_radiofrequency_position(window, qtbot):
    qtbot.keyClick(window, Qt.Key_4, Qt.ControlModifier)
    view = window.views["guideline"]
    text = view.browser.toPlainText()
    assert "Checks for common pitfalls" in text and "Monitoring at follow-up" in text
    assert "When back pain rated higher than leg pain" in text
    assert "When connective tissue disorder recorded" in text
    view.profile.setFocus()
    index = view.profile.findData("uk")
    while view.profile.currentIndex() != index:
        qtbot.keyClick(view.profile, Qt.Key_Down if view.profile.currentIndex() < index else Qt.Key_Up)
    uk = view.browser.toPlainText()
    assert "positive response to a diagnostic medial branch block" in uk
    assert "Paravertebral oxygen-ozone injection" in uk


def test_checks_come_before_the_stepped_care_ladder():
    a = {"pathway": {"steps": []},
         "checks": [{"id": "prolonged_rest", "title": "Bed rest recorded", "why": "Bed rest is recorded.",
                     "text": "Advise staying active.", "sources": [{"guideline": "Cochrane", "section": "Main results",
                                                                      "year": 2010}]}]}
    html = assessment_html(a)
    assert html.index("Checks for this patient") < html.index("Stepped care")
