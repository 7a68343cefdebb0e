"""Issue 18: the common-pitfall checks and the monitoring plan, in both profiles.

Written from seed summary 2 ("Common Pitfalls to Avoid", "Monitoring and Follow-up",
"Special Considerations") and the sources each profile cites for them: ACP 2017
Recommendation 3 and NICE NG59 (opioids only after or instead of an NSAID that failed or is
contraindicated), Hill 2011 / NICE NG59 stratified care (high STarT Back risk: a
psychologically informed approach), Cochrane Dahm 2010 (bed rest), and the app's week-6
review point (day 42). Boundaries: day 41/42, age 64/65.
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.guideline import CHECK_IDS, MONITORING_IDS, load_guideline
from radiculopathy_desktop.domain.intake import TreatmentTried
from radiculopathy_desktop.domain.monitoring import monitoring_plan, next_follow_up
from radiculopathy_desktop.domain.pitfalls import find_pitfalls

PROFILES = ("us", "uk")
D = dt.date


def tried(*codes, **dated):
    items = [TreatmentTried(c) for c in codes]
    items += [TreatmentTried(c, started=d) for c, d in dated.items()]
    return items


def checks(profile, treatments=(), day=10, risk=None, improving=None, tier="routine"):
    raised = find_pitfalls(load_guideline(profile), treatments=treatments, days_since_care_start=day,
                           start_back_risk=risk, improving=improving, tier=tier)
    return {c.id: c for c in raised}


@pytest.mark.parametrize("profile", PROFILES)
def test_every_profile_words_and_cites_every_check_and_monitoring_item(profile):
    g = load_guideline(profile)
    assert tuple(c.id for c in g.checks) == CHECK_IDS
    assert tuple(m.id for m in g.monitoring) == MONITORING_IDS
    for item in (*g.checks, *g.monitoring):
        assert item.sources, item.id
        if not item.verified:
            assert "[unverified]" in item.evidence_note


# --- Passive care only / delayed activation, by week 6 -----------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("day, raised", [(41, False), (42, True), (120, True)])
def test_no_active_treatment_is_flagged_from_day_42(profile, day, raised):
    got = checks(profile, tried("nsaid", "massage", "heat"), day=day)
    assert ("passive_only_by_week_6" in got) is raised
    if raised:
        assert "Massage" in got["passive_only_by_week_6"].why and f"Day {day}" in got["passive_only_by_week_6"].why


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("active", ["exercise_therapy", "stay_active", "mind_body", "combined_physical_psychological"])
def test_any_active_treatment_clears_the_passive_check(profile, active):
    assert "passive_only_by_week_6" not in checks(profile, tried("nsaid", active), day=60)


@pytest.mark.parametrize("profile", PROFILES)
def test_nothing_recorded_by_week_6_says_so(profile):
    got = checks(profile, tried("advice_self_management"), day=42)
    assert "no treatment recorded beyond advice" in got["passive_only_by_week_6"].why


# --- Opioid before an NSAID --------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
def test_opioid_without_any_nsaid_is_flagged(profile):
    got = checks(profile, tried("opioid"))
    assert "no NSAID has been tried" in got["opioid_before_nsaid"].why


@pytest.mark.parametrize("profile", PROFILES)
def test_opioid_started_before_the_first_nsaid_is_flagged_by_date(profile):
    got = checks(profile, tried(opioid=D(2026, 11, 1), nsaid=D(2026, 11, 2)))
    assert "1 Nov 2026" in got["opioid_before_nsaid"].why  # dates as the clinic reads them (issue 13)


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("items", [
    tried(nsaid=D(2026, 11, 1), opioid=D(2026, 11, 1)),   # same day: not "before"
    tried(nsaid=D(2026, 11, 1), opioid=D(2026, 11, 20)),  # NSAID first
    tried("nsaid", "opioid"),                              # both undated: cannot say, not raised
    tried("nsaid"),
])
def test_opioid_after_or_with_an_nsaid_is_not_flagged(profile, items):
    assert "opioid_before_nsaid" not in checks(profile, items)


def test_each_profile_cites_its_own_opioid_source():
    assert "acp2017" in {s.source_id for s in checks("us", tried("opioid"))["opioid_before_nsaid"].sources}
    uk = checks("uk", tried("opioid"))["opioid_before_nsaid"]
    assert "nice_ng59" in {s.source_id for s in uk.sources}
    assert "contraindicated" in uk.text  # NICE: weak opioid when an NSAID is contraindicated or failed


# --- High STarT Back risk without a psychological component -----------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("risk, treatments, raised", [
    ("high", tried("exercise_therapy"), True),
    ("high", tried("psychological_therapy"), False),
    ("high", tried("combined_physical_psychological"), False),
    ("medium", tried("exercise_therapy"), False),
    (None, tried(), False),
])
def test_high_risk_needs_a_psychological_component(profile, risk, treatments, raised):
    got = checks(profile, treatments, risk=risk)
    assert ("high_risk_without_psychological" in got) is raised
    if raised:
        assert "hill2011" in {s.source_id for s in got["high_risk_without_psychological"].sources}


# --- Prolonged rest ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
def test_bed_rest_recorded_is_flagged_with_the_cochrane_evidence(profile):
    got = checks(profile, tried("bed_rest", "exercise_therapy"))
    assert "dahm2010" in {s.source_id for s in got["prolonged_rest"].sources}
    assert "prolonged_rest" not in checks(profile, tried("exercise_therapy"))


# --- Single-modality care ----------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("treatments, day, improving, raised", [
    (tried("nsaid", "opioid"), 42, False, True),
    (tried("nsaid", "opioid"), 41, False, False),
    (tried("nsaid", "opioid"), 60, None, True),
    (tried("nsaid", "opioid"), 60, True, False),           # improving: no reason to change
    (tried("nsaid", "exercise_therapy"), 60, False, False),
    (tried("exercise_therapy", "massage"), 60, False, True),
    (tried("combined_physical_psychological"), 60, False, False),  # physical and psychological
])
def test_one_kind_of_treatment_only_at_week_6_not_improving(profile, treatments, day, improving, raised):
    assert ("single_modality" in checks(profile, treatments, day=day, improving=improving)) is raised


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("tier", ["urgent", "emergency"])
def test_red_flags_come_first_no_checks(profile, tier):
    assert checks(profile, tried("opioid", "bed_rest"), day=90, risk="high", improving=False, tier=tier) == {}


# --- Monitoring and the follow-up interval -------------------------------------------------------------------


@pytest.mark.parametrize("age, expected", [(64, D(2026, 12, 31)), (65, D(2026, 12, 15)), (None, D(2026, 12, 31))])
def test_older_patients_are_seen_within_two_weeks(age, expected):
    # Seed 2: more frequent follow-up for elderly patients; the app's cap is 14 days from 65 (Beers age).
    assert next_follow_up(D(2026, 12, 31), D(2026, 12, 1), age) == expected


def test_an_earlier_default_visit_is_kept_for_older_patients():
    assert next_follow_up(D(2026, 12, 5), D(2026, 12, 1), 80) == D(2026, 12, 5)


@pytest.mark.parametrize("profile", PROFILES)
def test_monitoring_details_follow_the_record(profile):
    g = load_guideline(profile)
    plan = {m.id: m for m in monitoring_plan(g, age=70, improving=False, treatments_tried=frozenset({"nsaid"}),
                                             imaged=True, neuro_worsening=False, next_visit=D(2026, 12, 15))}
    assert tuple(plan) == tuple(i for i in MONITORING_IDS if i != "after_referral")  # path33: only after a referral
    assert "not improving" in plan["reassess"].detail
    assert "current step" in plan["adjust_plan"].detail
    assert "Tried: NSAID." in plan["side_effects"].detail and "Age 70" in plan["side_effects"].detail
    assert "no repeat imaging now" in plan["reimaging"].detail
    assert "15 Dec 2026" in plan["follow_up_interval"].detail  # a clinic date (issue 13)
    worse = {m.id: m for m in monitoring_plan(g, age=40, improving=None, treatments_tried=frozenset(),
                                              imaged=True, neuro_worsening=True)}
    assert "red-flag imaging route now" in worse["reimaging"].detail
    assert "No follow-up visit yet" in worse["reassess"].detail


@pytest.mark.parametrize("profile", PROFILES)
def test_side_effects_are_asked_about_for_the_medicines_taken_now(profile):
    """NICE NG59 / seed monitoring: ask about the side effects of the medicines the patient
    takes. A patient whose medicines are only recorded as current (not as tried) is not told
    'no medicine recorded yet'."""
    g = load_guideline(profile)
    plan = {m.id: m for m in monitoring_plan(g, age=50, improving=None, treatments_tried=frozenset({"opioid"}),
                                             imaged=False, neuro_worsening=False,
                                             taking_now=frozenset({"nsaid", "gabapentinoid"}))}
    detail = plan["side_effects"].detail
    assert "No medicine recorded" not in detail
    # each treatment's label, never its stored code (GP tryout 31: "Tried: nsaid."; H-UI-516)
    assert "Taking now: Gabapentin or pregabalin, NSAID." in detail and "Tried: Opioid (including tramadol)." in detail
    assert not any(code in detail for code in ("nsaid", "gabapentinoid", "opioid."))
    none = {m.id: m for m in monitoring_plan(g, age=50, improving=None, treatments_tried=frozenset(),
                                             imaged=False, neuro_worsening=False)}
    assert none["side_effects"].detail == "No medicine recorded yet."


def test_assessment_of_a_patient_on_ibuprofen_does_not_say_no_medicine_recorded():
    import json

    from radiculopathy_desktop.domain.assess import assess_case
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.resources import resource_path

    data = json.loads((resource_path("examples") / "routine_med_older_nsaid_steroid.json").read_text("utf-8"))
    case = parse_case(data)
    result = assess_case(case, case.intake.visit_date + dt.timedelta(days=1))
    detail = {m.id: m for m in result.monitoring}["side_effects"].detail
    assert "No medicine recorded" not in detail and "Taking now:" in detail
