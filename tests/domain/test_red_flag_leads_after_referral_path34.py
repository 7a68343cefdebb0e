"""path34 (H-FU-911, tryout33 F6): a referred patient who then has an emergency or urgent red flag
is not told "Monitoring while awaiting the surgical opinion (no routine next visit)" under the
EMERGENCY heading. The red flag leads the monitoring ("Red flag (EMERGENCY - act now): act on the
red flag first ... the referral ... does not replace or delay that action"), the referral is named
as not the plan, and the after-referral item (the patient waits; a safety net for symptoms the
patient already has) is left out. Boundaries: emergency and urgent tiers, a routine referral (the
wait stays), an emergency without a referral (nothing about a referral), both profiles; the JSON
still matches the assessment schema."""

from __future__ import annotations

import datetime as dt
import json

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
#: a red flag answered yes at the follow-up after the referral, and the triage heading it gives
TIERS = {"emergency": ({"saddle_anaesthesia": "yes"}, "EMERGENCY - act now"),
         "urgent": ({"progressive_neurological_deficit": "yes"}, "URGENT - same day")}


def _referred_then(flag: dict | None, decisions=(REFERRED,)) -> dict:
    c = case(70, decisions=list(decisions))
    if flag:
        c["visits"][0]["red_flags"] = dict(flag)
    return c


def _assessed(c: dict, profile: str):
    return assess_case(parse_case(c), TODAY, profile)


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("tier", list(TIERS))
def test_a_red_flag_after_a_referral_leads_the_monitoring_not_the_wait(profile, tier):
    flag, heading = TIERS[tier]
    a = _assessed(_referred_then(flag), profile)
    assert a.triage.tier.value == tier
    assert a.next_visit is None  # no routine next visit, as after any referral
    ids = [m.id for m in a.monitoring]
    assert ids[0] == RED_FLAG_FIRST and "after_referral" not in ids and "follow_up_interval" not in ids
    lead = a.monitoring[0]
    assert lead.text.startswith(f"Red flag ({heading}): act on the red flag first")
    assert "does not replace or delay that action" in lead.text
    assert lead.detail == (f"Referred for a surgical opinion on {(TODAY - dt.timedelta(days=10)).strftime('%-d %b %Y')} "
                           "(decision recorded): waiting for that opinion is not the plan while the red flag stands.")
    assert lead.sources and "[unverified]" in lead.evidence_note and not lead.verified
    said = " ".join(f"{m.text} {m.detail}" for m in a.monitoring)
    assert "awaiting the surgical opinion" not in said and "waits for the surgical opinion" not in said
    jsonschema.validate(a.to_dict(), SCHEMA)


@pytest.mark.parametrize("profile", PROFILES)
def test_a_routine_referral_still_says_what_follows(profile):
    a = _assessed(_referred_then(None), profile)
    assert a.triage.tier.value == "routine"
    assert [m.id for m in a.monitoring][0] == "after_referral"
    assert RED_FLAG_FIRST not in [m.id for m in a.monitoring]
    jsonschema.validate(a.to_dict(), SCHEMA)


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("tier", list(TIERS))
def test_a_red_flag_without_a_referral_says_nothing_of_a_referral(profile, tier):
    a = _assessed(_referred_then(TIERS[tier][0], decisions=()), profile)
    assert a.triage.tier.value == tier
    ids = [m.id for m in a.monitoring]
    assert "after_referral" not in ids
    # window35 (H-FU-913): the red flag leads without a referral too, said without one, and no routine
    # next visit is suggested (tests/domain/test_red_flag_no_next_visit_window35.py has the boundaries)
    assert ids[0] == RED_FLAG_FIRST and a.next_visit is None
    said = " ".join(f"{m.text} {m.detail}" for m in a.monitoring)
    assert "referral" not in said.lower() and "surgical opinion" not in said


@pytest.mark.parametrize("tier", list(TIERS))
def test_assess_text_heads_the_monitoring_with_the_red_flag(capsys, tmp_path, tier):
    flag, heading = TIERS[tier]
    out = assess_text(capsys, write_json(tmp_path, _referred_then(flag), "case.json"), "--profile", "uk",
                      as_of=TODAY.isoformat())
    assert out.index(f"URGENCY: {heading}") < out.index("MONITORING: RED FLAG FIRST")
    assert "MONITORING WHILE AWAITING THE SURGICAL OPINION" not in out
    assert "no routine next visit is booked here" not in out
    routine = assess_text(capsys, write_json(tmp_path, _referred_then(None), "routine.json"), "--profile", "uk",
                          as_of=TODAY.isoformat())
    assert "MONITORING WHILE AWAITING THE SURGICAL OPINION (no routine next visit)" in routine
    assert "RED FLAG FIRST" not in routine
