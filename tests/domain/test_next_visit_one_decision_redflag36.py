"""redflag36 (H-FU-914..916, H-PATH-913..915): whether a routine next visit is suggested is ONE domain
decision, ``monitoring.next_visit_decision`` (the triage tier, and whether a referral for a surgical
opinion is awaited), used by the assessment (case page, pathway, text report), the follow-up visit form,
the handout dialog and the ``handout`` command.

Primary sources, as the triage data cites them (resources/rules/red_flags.toml): cauda equina syndrome is
an emergency ("would usually warrant immediate admission", NICE CKS Sciatica, interpreting red flags;
GIRFT National Suspected CES Pathway 2023: emergency referral, "do not wait for the next visit"); the
other NICE NG59 1.1.1 red flags (infection, cancer, fracture) and a severe or progressive deficit are
urgent, each action for the same day (ACP 2011, Manchester spinal pathway). So under an emergency or
urgent tier there is no routine next visit, whatever the patient's age; under a routine tier (no red
flag, cauda equina questions unanswered: asked now, the tier stays routine, red_flags.toml [ask_now];
night pain or weight loss alone: [notes], they do not raise the tier) the follow-up interval rule gives
the date (monitoring item ``follow_up_interval``, seed summary 2: at 65 or over within 2 weeks at most).

The visit form said "book the next visit within 14 days" to everyone 65 or over, whatever the tier; the
handouts decided from the standing red flags rather than the assessment's tier. Both now read this one.
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.guideline import load_guideline
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.monitoring import (NEXT_VISIT_AWAITING_OPINION, NEXT_VISIT_RED_FLAG_NOW,
                                                     NEXT_VISIT_ROUTINE,
                                                     next_visit_decision, next_visit_kind, visit_prompts)
from radiculopathy_desktop.domain.vocab import Tier
from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.reports import handouts

from tests.domain.test_surgical_step_every_status_surgstep import TODAY, case, decided

REFERRED = decided("referred_for_surgical_opinion", date=(TODAY - dt.timedelta(days=10)).isoformat())

#: answers at the latest visit -> the triage tier (red_flags.toml) each gives
FLAGS = {
    "emergency (cauda equina: saddle anaesthesia)": ({"saddle_anaesthesia": "yes"}, "emergency"),
    "emergency (cauda equina: urinary retention)": ({"urinary_retention_or_incontinence": "yes"}, "emergency"),
    "urgent (progressive deficit)": ({"progressive_neurological_deficit": "yes"}, "urgent"),
    "urgent (infection: fever)": ({"fever": "yes"}, "urgent"),
    # a known cancer with radicular pain escalates to possible MSCC (NICE NG234: immediately)
    "emergency (known cancer, radicular pain)": ({"history_of_cancer": "yes"}, "emergency"),
    "routine (night pain alone: soon, not urgent)": ({"night_or_rest_pain": "yes"}, "routine"),
    "routine (cauda equina questions unanswered)": ({"saddle_anaesthesia": "unknown"}, "routine"),
    "none": ({}, "routine"),
}
AGES = [64, 65, 80]


def _case(flags: dict, age: int, *, referred: bool = False):
    c = case(70, red_flags=flags, decisions=[REFERRED] if referred else [])
    c["patient"]["age_years"] = age
    return parse_case(c)


@pytest.mark.parametrize("tier", list(Tier))
@pytest.mark.parametrize("referred", [False, True])
def test_the_rule_over_every_tier(tier, referred):
    kind = next_visit_kind(tier, referred)
    assert kind == next_visit_kind(tier.value, referred)  # the member or its string
    if tier in (Tier.EMERGENCY, Tier.URGENT):  # a red flag comes first, a referral too
        assert kind == NEXT_VISIT_RED_FLAG_NOW
    else:
        assert kind == (NEXT_VISIT_AWAITING_OPINION if referred else NEXT_VISIT_ROUTINE)


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("age", AGES)
@pytest.mark.parametrize("referred", [False, True])
@pytest.mark.parametrize("label", list(FLAGS))
def test_the_decision_is_the_assessments(profile, age, referred, label):
    flags, tier = FLAGS[label]
    c = _case(flags, age, referred=referred)
    assert c.patient.age_on(TODAY) == age
    a = assess_case(c, TODAY, profile)
    assert a.triage.tier.value == tier
    visit = next_visit_decision(c, TODAY, profile=profile)  # interval36: the profile's follow-up interval
    assert visit.tier == tier
    assert visit.date == a.next_visit  # the case page's date, or its none
    assert (visit.referred_on is not None) == referred
    if tier in ("emergency", "urgent"):
        assert visit.kind == NEXT_VISIT_RED_FLAG_NOW and visit.date is None
        assert visit.red_flag == Tier(tier).action_label
        assert visit.headline == a.triage.headline()
        assert a.monitoring[0].id == "red_flag_first"
    elif referred:
        assert visit.kind == NEXT_VISIT_AWAITING_OPINION and visit.date is None and visit.red_flag is None
    else:
        assert visit.kind == NEXT_VISIT_ROUTINE and visit.red_flag is None
        assert TODAY < visit.date
        if age >= 65:  # seed summary 2: at 65 or over, within 2 weeks at most
            # interval36 (H-FU-917): the number is the profile's reviewed data, not a constant in the code
            older_max = load_guideline(profile).follow_up.older_max_days
            assert visit.date <= TODAY + dt.timedelta(days=older_max)
        interval = next(m for m in a.monitoring if m.id == "follow_up_interval")
        assert visit.visit_line() == interval.detail  # the visit form says what the case page says


@pytest.mark.parametrize("age", AGES)
@pytest.mark.parametrize("label", list(FLAGS))
def test_the_visit_form_reminder_follows_the_decision(age, label):
    flags, tier = FLAGS[label]
    c = _case(flags, age)
    g = load_guideline("uk")
    lines = visit_prompts(g, age, next_visit_decision(c, TODAY))
    said = " ".join(lines)
    assert "book the next visit within" not in said  # the old rule for every patient 65 or over
    assert ("side effects, balance problems and falls are more likely" in said) == (age >= 65)
    if tier in ("emergency", "urgent"):
        assert lines[-1].startswith(f"Next visit: {Tier(tier).label} red flag (")
        assert "no routine next visit; act on the red flag now" in lines[-1]
        assert "14 days" not in said and "Suggested next visit" not in said
        assert g.monitoring_item("adjust_plan").text not in lines  # waits for a follow-up visit
    else:
        assert lines[-1].startswith("Next visit: ")
        assert ("within 14 days at most" in lines[-1]) == (age >= 65)
        assert "Suggested next visit: " in lines[-1]
        assert g.monitoring_item("adjust_plan").text in lines


def test_the_visit_form_names_a_referral_beside_a_red_flag_and_alone():
    both = next_visit_decision(_case({"saddle_anaesthesia": "yes"}, 70, referred=True), TODAY).visit_line()
    assert "no routine next visit; act on the red flag now" in both
    assert "does not replace or delay that action" in both
    alone = next_visit_decision(_case({}, 70, referred=True), TODAY).visit_line()
    assert alone.startswith("Referred for a surgical opinion on ") and "no routine next visit is booked" in alone


def _request(c, sheets):
    return handouts.request_for_case(c, TODAY, clinic_name="Riverside", clinic_contact="01 234", sheets=sheets,
                                     confirm_unrecognised=True, today=TODAY)


@pytest.mark.parametrize("label", [k for k, (_, t) in FLAGS.items() if t != "routine"])
def test_a_handout_of_routine_sheets_only_under_a_red_flag_books_no_visit_and_says_why(label):
    flags, tier = FLAGS[label]
    req = _request(_case(flags, 65), ["about_sciatica", "follow_up"])
    assert req.next_follow_up_date is None
    assert req.red_flag_no_visit == tier
    assert req.sheets[0] == {"emergency": "emergency_now", "urgent": "urgent_today"}[tier]  # put first
    assert handouts.red_flag_no_visit_notice(req).startswith(f"an {tier} red flag stands: no routine next visit")


@pytest.mark.parametrize("age", AGES)
@pytest.mark.parametrize("label", [k for k, (_, t) in FLAGS.items() if t == "routine"])
def test_no_red_flag_keeps_its_routine_visit_whatever_sheets(age, label):
    c = _case(FLAGS[label][0], age)
    want = next_visit_decision(c, TODAY).date
    for sheets in (["warning_signs"], ["about_sciatica", "follow_up", "warning_signs"], None):
        req = _request(c, sheets)
        assert req.next_follow_up_date == want and req.red_flag_no_visit is None
        assert handouts.red_flag_no_visit_notice(req) is None
    # the emergency sheet says "you had signs that need a hospital check today": not education for a
    # patient without them; refused, pointing to the warning-signs sheet, and the routine visit is kept
    with pytest.raises(UserError) as e:
        _request(c, ["about_sciatica", "emergency_now"])
    assert "print 'warning_signs'" in str(e.value) and "the routine next visit is kept" in str(e.value)
