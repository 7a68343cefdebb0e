"""window35 (GP tryout 35; H-FU-913, H-PATH-912): an emergency red flag WITHOUT a recorded referral
showed "MONITORING AT FOLLOW-UP (suggested next visit ...)" and "Suggested next visit: ..." under
"URGENCY: EMERGENCY - act now" (assess text, JSON ``monitoring.next_visit``, the case page).

The primary source is the red-flag rules themselves (resources/rules/red_flags.toml): every emergency
action is for now ("Send to an emergency department ... today; ... do not wait for the next visit",
GIRFT National Suspected CES Pathway 2023; NICE NG234 MSCC "immediately, now, not at the next visit")
and every urgent one is for the same day ("Same-day referral to the spinal team and MRI ...", Manchester
spinal pathway / ACP/APS 2007; "Same-day assessment for spinal infection", ACP 2011; "Contact the acute
oncology / MSCC team today", NICE NG234). So under either tier the next step is the red-flag action, not
a routine visit booked weeks ahead: no suggested next visit, the monitoring leads with the red flag
("act on the red flag now"), and the follow-up interval and "adjust the plan at the next visit" are left
out until it has been dealt with. Boundaries: emergency, urgent, none (routine), cauda equina questions
unanswered (routine tier: the routine visit stays), the infection rule on both sides of its escalation
(urgent without a deficit, emergency with one), each with and without a referral recorded, both profiles.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import jsonschema
import pytest

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.monitoring import RED_FLAG_FIRST
from radiculopathy_desktop.resources import resource_path

from helpers.cli_run import assess_text, write_json
from tests.domain.test_surgical_step_every_status_surgstep import TODAY, case, decided

PROFILES = ["us", "uk"]
SCHEMA = json.loads(resource_path("schemas", "assessment.schema.json").read_text())
REFERRED = decided("referred_for_surgical_opinion", date=(TODAY - dt.timedelta(days=10)).isoformat())

#: answers at the latest visit -> (the triage tier, its heading, whether a routine next visit is suggested)
FLAGS = {
    "emergency (cauda equina)": ({"saddle_anaesthesia": "yes"}, "emergency", "EMERGENCY - act now"),
    "urgent (progressive deficit)": ({"progressive_neurological_deficit": "yes"}, "urgent", "URGENT - same day"),
    # the infection rule on both sides of its escalation (red_flags.toml: any neurological deficit)
    "urgent (fever, no deficit)": ({"fever": "yes"}, "urgent", "URGENT - same day"),
    "none": ({}, "routine", None),
    # unanswered cauda equina questions: asked now, the tier stays routine (red_flags.toml [ask_now])
    "cauda equina questions unanswered": ({"saddle_anaesthesia": "unknown"}, "routine", None),
}


def _case(flags: dict, *, referred: bool) -> dict:
    # day 70 of care: the review window (days 42-84) is open, so a routine next visit would be suggested
    return case(70, red_flags=flags, decisions=[REFERRED] if referred else [])


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("label", list(FLAGS))
def test_no_routine_next_visit_while_an_emergency_or_urgent_red_flag_stands(profile, label):
    flags, tier, heading = FLAGS[label]
    a = assess_case(parse_case(_case(flags, referred=False)), TODAY, profile)
    assert a.triage.tier.value == tier
    ids = [m.id for m in a.monitoring]
    if heading is None:  # routine: the follow-up interval and its date, as before
        assert a.next_visit is not None and a.next_visit > TODAY
        assert RED_FLAG_FIRST not in ids and "follow_up_interval" in ids and "adjust_plan" in ids
    else:
        assert a.next_visit is None
        assert ids[0] == RED_FLAG_FIRST
        assert "follow_up_interval" not in ids and "adjust_plan" not in ids and "after_referral" not in ids
        lead = a.monitoring[0]
        assert lead.text.startswith(f"Red flag ({heading}): act on the red flag now")
        assert "No routine next visit is suggested while the red flag stands" in lead.detail
        said = " ".join(f"{m.text} {m.detail}" for m in a.monitoring)
        assert "referral" not in said.lower() and "surgical opinion" not in said  # none was recorded
        assert "Suggested next visit" not in said
        assert lead.sources and "[unverified]" in lead.evidence_note and not lead.verified
    jsonschema.validate(a.to_dict(), SCHEMA)
    assert a.to_dict()["monitoring"]["next_visit"] == (a.next_visit.isoformat() if a.next_visit else None)


@pytest.mark.parametrize("profile", PROFILES)
def test_the_infection_rule_escalated_by_a_deficit_is_an_emergency_without_a_next_visit(profile):
    # red_flags.toml: infection escalates on ANY neurological deficit (MRC 4/5 here; possible epidural abscess)
    c = _case({"fever": "yes"}, referred=False)
    c["examination"] = {"power": {"ankle_dorsiflexion": 4}}
    a = assess_case(parse_case(c), TODAY, profile)
    assert a.triage.tier.value == "emergency"
    assert a.next_visit is None and a.monitoring[0].id == RED_FLAG_FIRST
    assert a.monitoring[0].text.startswith("Red flag (EMERGENCY - act now): act on the red flag now")


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("label", list(FLAGS))
def test_with_a_referral_recorded_nothing_changes_from_path34(profile, label):
    flags, tier, heading = FLAGS[label]
    a = assess_case(parse_case(_case(flags, referred=True)), TODAY, profile)
    assert a.triage.tier.value == tier
    assert a.next_visit is None  # after a referral: never a routine next visit (path33)
    lead = a.monitoring[0]
    if heading is None:
        assert lead.id == "after_referral"
    else:
        assert lead.id == RED_FLAG_FIRST
        assert lead.text.startswith(f"Red flag ({heading}): act on the red flag first")
        assert lead.detail.startswith("Referred for a surgical opinion on ")


@pytest.mark.parametrize("label", ["emergency (cauda equina)", "urgent (progressive deficit)"])
def test_assess_text_says_what_to_do_now_not_a_next_visit(capsys, tmp_path, label):
    flags, _tier, heading = FLAGS[label]
    out = assess_text(capsys, write_json(tmp_path, _case(flags, referred=False), "case.json"), "--profile", "uk",
                      as_of=TODAY.isoformat())
    assert out.index(f"URGENCY: {heading}") < out.index(
        "MONITORING: RED FLAG FIRST (the urgency above leads; no routine next visit while it stands)")
    assert "suggested next visit" not in out.lower()
    assert "MONITORING AT FOLLOW-UP" not in out and "referral is not the plan" not in out
    routine = assess_text(capsys, write_json(tmp_path, _case({}, referred=False), "routine.json"), "--profile", "uk",
                          as_of=TODAY.isoformat())
    assert re.search(r"MONITORING AT FOLLOW-UP \(suggested next visit \d{4}-\d\d-\d\d\)", routine)
    assert "RED FLAG FIRST" not in routine
    referred = assess_text(capsys, write_json(tmp_path, _case(flags, referred=True), "referred.json"),
                           "--profile", "uk", as_of=TODAY.isoformat())
    assert "MONITORING: RED FLAG FIRST (the urgency above leads; the referral is not the plan now)" in referred


def test_the_case_pages_monitoring_says_now_not_a_suggested_next_visit():
    from radiculopathy_desktop.ui.pathway_view import monitoring_html

    for label in ("emergency (cauda equina)", "urgent (progressive deficit)", "none"):
        flags, _tier, heading = FLAGS[label]
        html = monitoring_html(assess_case(parse_case(_case(flags, referred=False)), TODAY, "uk").to_dict()[
            "monitoring"])
        if heading is None:
            assert "Monitoring at follow-up" in html and "Suggested next visit:" in html
        else:
            assert "Monitoring: red flag first" in html and f"Red flag ({heading}): act on the red flag now" in html
            assert "Suggested next visit" not in html and "Monitoring at follow-up" not in html
