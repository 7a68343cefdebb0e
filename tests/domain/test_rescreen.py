"""One rule, one place (issue 14): the re-screen at a visit (``triage.rescreen``), the
intake still being entered (``triage.triage_draft``), the age (``intake.age_on``) and
the red-flag groups (``triage.question_groups``) are the engine's, so the window cannot
say something else than the assessment.

Clinical expectations, from the sources the rule data cites:

* suspected spinal infection (fever) with ANY neurological deficit on examination (a
  reduced reflex, reduced sensation, any weakness) is an emergency: possible epidural
  abscess (ACP 2011; ACR Appropriateness Criteria low back pain 2021); without a deficit
  it is same-day urgent;
* minor (low-velocity) trauma with osteoporosis is a suspected vertebral fracture, same
  day (ACR 2021 Variant 6); minor trauma alone is not;
* upper motor neurone signs (extensor plantar, clonus) are not radiculopathy: urgent;
* unexplained weight loss with age over 50 is suspected malignancy (ACP 2011): the age
  then decides the tier, so it must be the engine's age (birth date first).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import ANCHOR, case_dict  # noqa: E402

from radiculopathy_desktop.domain.assess import assess_case  # noqa: E402
from radiculopathy_desktop.domain.followup import ReviewStatus, surgical_review  # noqa: E402
from radiculopathy_desktop.domain.intake import Patient, age_on, parse_case, parse_visit  # noqa: E402
from radiculopathy_desktop.domain.triage import (question_groups, rescreen, triage, triage_draft,  # noqa: E402
                                                 triage_intake)
from radiculopathy_desktop.domain.vocabulary import RED_FLAG_QUESTIONS  # noqa: E402

D = dt.timedelta
VISIT = ANCHOR - D(days=3)


def _data(case_id="RS", care_days=30, examination=None, conditions=None, red_flags=None, patient=None) -> dict:
    data = case_dict(case_id, care_start=ANCHOR - D(days=care_days), red_flags=red_flags)
    for key, value in (("examination", examination), ("conditions", conditions)):
        if value is not None:
            data[key] = value
    data["patient"].update(patient or {})
    return data


def _case(**kw):
    return parse_case(_data(**kw))


def _saved(case, answers):
    return case.with_visit(parse_visit({"date": VISIT.isoformat(), "red_flags": answers}, case))


# --------------------------------------------------------------------------- rescreen
@pytest.mark.parametrize("reflex, tier", [("reduced", "emergency"), ("absent", "emergency"),
                                          ("normal", "urgent")])
def test_fever_at_a_rescreen_with_a_deficit_on_examination_is_an_emergency(reflex, tier):
    case = _case(examination={"power": {"great_toe_extension": 5}, "reflexes": {"achilles": reflex}})
    screen = rescreen(case, VISIT, {"fever": "yes"})
    assert screen.result.tier == tier
    assert "infection" in screen.result.categories
    if tier == "emergency":
        assert "epidural abscess" in screen.result.headline()
        # the answers alone (no examination) would have said only urgent: the examination decides
        assert triage(screen.answers, case.power_as_of(VISIT)).tier == "urgent"
    assert screen.new_escalation == {"fever"} and screen.answered_yes
    # what the dialog shows before saving is what the assessment says once saved
    assert screen.result == assess_case(_saved(case, {"fever": "yes"}), VISIT).triage


def test_minor_trauma_at_a_rescreen_with_osteoporosis_is_a_suspected_fracture():
    case = _case(conditions={"osteoporosis": True})
    screen = rescreen(case, VISIT, {"minor_trauma": "yes"})
    assert screen.result.tier == "urgent" and "fracture" in screen.result.categories
    assert "suspected vertebral fracture" in screen.result.headline()
    assert "minor_trauma" in screen.new_escalation
    saved = _saved(case, {"minor_trauma": "yes"})
    assert screen.result == assess_case(saved, VISIT).triage
    # the worklist agrees: the surgical-review status reads the same conditions
    assert surgical_review(saved, VISIT).status == ReviewStatus.IMMEDIATE
    # without osteoporosis, minor trauma in a 45-year-old is not a fracture red flag
    plain = _case(conditions={"osteoporosis": False})
    assert rescreen(plain, VISIT, {"minor_trauma": "yes"}).result.tier == "routine"
    assert surgical_review(_saved(plain, {"minor_trauma": "yes"}), VISIT).status != ReviewStatus.IMMEDIATE


def test_upper_motor_neurone_signs_on_examination_stand_at_every_rescreen():
    case = _case(examination={"plantar": "extensor"})
    screen = rescreen(case, VISIT, {"night_or_rest_pain": "yes"})
    assert screen.before.tier == screen.result.tier == "urgent"
    assert "upper_motor_neurone" in screen.result.categories
    assert screen.answered_yes and not screen.new_escalation  # the yes raised nothing new


def test_rescreen_keeps_what_stands_and_reports_earlier_yes_answers():
    case = _case(red_flags={"history_of_cancer": "yes"})
    screen = rescreen(case, VISIT, {"history_of_cancer": "unknown", "fever": "no"})
    assert screen.standing_yes == ("history_of_cancer",)
    assert screen.answers["history_of_cancer"] == "yes"  # unknown is never no
    assert screen.result.tier == screen.before.tier == "emergency"  # cancer with sciatica: MSCC (NICE NG234)
    assert not screen.answered_yes and not screen.new_escalation
    nothing = rescreen(case, VISIT, {})
    assert nothing.answers == nothing.standing and nothing.result == nothing.before


# --------------------------------------------------------------------------- the intake being entered
def _full(**kw) -> dict:
    """An intake as the wizard gives it (no case id yet), seen two days after care started."""
    data = _data("DR", care_days=2, **kw)
    data.pop("case_id")
    return data


@pytest.mark.parametrize("kw", [
    {"red_flags": {"fever": "yes"}, "examination": {"sensation": "reduced"}},  # emergency: possible abscess
    {"red_flags": {"fever": "yes"}},  # urgent
    {"red_flags": {"minor_trauma": "yes"}, "conditions": {"osteoporosis": True}},  # fracture
    {"red_flags": {"unexplained_weight_loss": "yes"}, "patient": {"birth_date": "1950-01-01", "age_years": 30}},
    {"red_flags": {"history_of_cancer": "yes"}, "examination": {"clonus": "present"}},
    {},
])
def test_the_draft_of_a_complete_intake_triages_as_the_saved_intake(kw):
    data = _full(**kw)
    assert triage_draft(data) == triage_intake(parse_case(data).intake)


def test_the_draft_triage_says_emergency_once_a_deficit_is_entered():
    answers = dict(_full()["red_flags"], fever="yes")
    assert triage_draft({"red_flags": answers}).tier == "urgent"
    with_exam = {"red_flags": answers, "examination": {"reflexes": {"patellar": "reduced"}}}
    assert triage_draft(with_exam).tier == "emergency"
    # a part that does not parse yet is left out, not guessed
    assert triage_draft({"red_flags": answers, "examination": {"reflexes": {"patellar": "sideways"}}}).tier == "urgent"


def test_the_draft_reads_leg_pain_as_the_engine_does():
    # history of cancer: MSCC (emergency) with radicular pain; without leg pain, urgent (NICE NG234)
    answers = {"history_of_cancer": "yes"}
    assert triage_draft({"red_flags": answers}).tier == "emergency"  # not said yet: unknown is never no
    assert triage_draft({"red_flags": answers, "pain": {"leg_nrs": 0}}).tier == "urgent"
    assert triage_draft({"red_flags": answers, "pain": {"leg_nrs": 0}, "regions": ["buttock"]}).tier == "emergency"


def test_the_draft_answers_both_legs_from_the_side():
    assert triage_draft({"side": "bilateral", "red_flags": {}}).tier == "emergency"
    assert triage_draft({"side": "bilateral", "red_flags": {"bilateral_leg_symptoms": "no"}}).tier != "emergency"


# --------------------------------------------------------------------------- age
@pytest.mark.parametrize("day, expected", [
    (dt.date(2026, 3, 1), 55),  # the day before the 56th birthday
    (dt.date(2026, 3, 2), 56),  # the birthday
    (dt.date(2027, 3, 1), 56),
])
def test_the_birth_date_wins_over_a_typed_age(day, expected):
    born = dt.date(1970, 3, 2)
    assert age_on(born, 30, day) == expected == Patient("X", birth_date=born, age_years=30).age_on(day)


def test_a_typed_age_counts_only_without_a_birth_date_or_a_day():
    assert age_on(None, 30, dt.date(2026, 3, 2)) == 30
    assert age_on(dt.date(1970, 3, 2), 30, None) == 30
    assert age_on(None, None, dt.date(2026, 3, 2)) is None


def test_an_inconsistent_typed_age_does_not_change_the_tier():
    # born 1950 (76 on the visit), typed 30: weight loss with age over 50 is suspected malignancy
    data = _full(red_flags={"unexplained_weight_loss": "yes"}, patient={"birth_date": "1950-01-01", "age_years": 30})
    case = parse_case(data)
    assert case.patient.age_on(case.intake.visit_date) == 76
    assert triage_draft(data).tier == triage_intake(case.intake).tier == "urgent"
    assert "malignancy" in triage_draft(data).categories
    typed_only = _full(red_flags={"unexplained_weight_loss": "yes"}, patient={"age_years": 30})
    assert triage_draft(typed_only).tier == "routine"


# --------------------------------------------------------------------------- groups
def test_every_question_is_in_one_group_in_questionnaire_order():
    groups = dict(question_groups())
    assert [k for keys in groups.values() for k in keys] == list(RED_FLAG_QUESTIONS)
    assert groups["Cauda equina syndrome"] == (
        "saddle_anaesthesia", "urinary_retention_or_incontinence", "faecal_incontinence_or_loss_of_rectal_sensation",
        "bilateral_leg_symptoms", "new_sexual_dysfunction")
    assert {"fever", "iv_drug_use", "immunosuppression", "recent_bacterial_infection"} <= set(groups["Spinal infection"])
    assert "history_of_cancer" in groups["Cancer"] and "significant_trauma" in groups["Vertebral fracture"]
    assert "progressive_neurological_deficit" in groups["Progressive neurological deficit"]
