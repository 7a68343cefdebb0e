"""The surgical-review rule (followup.surgical_review) on clinical cases.

Window (resources/rules/surgical_review.toml): days 42-84 after conservative care
started, upcoming from day 28 (14-day lead), overdue from day 85. Red flags override
every state, including a snooze, until a decision on or after them acknowledges them.
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain import vocabulary as V
from radiculopathy_desktop.domain.followup import ReviewStatus, review_facts, status_from_facts, surgical_review
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.settings import ReviewSettings, default_review_settings

CARE_START = dt.date(2026, 1, 5)


def day(n: int) -> dt.date:
    return CARE_START + dt.timedelta(days=n)


def visit(n: int, leg=6, odi=40, **extra) -> dict:
    return {"date": day(n).isoformat(), "leg_nrs": leg, "odi_percent": odi, **extra}


def decision(n: int, kind: str, until: int | None = None) -> dict:
    d = {"date": day(n).isoformat(), "kind": kind, "by": "Dr Test"}
    if until is not None:
        d["until"] = day(until).isoformat()
    return d


def make_case(visits=(), decisions=(), red=None, power=None, leg=7, odi=44, age=45):
    """A 45-year-old with L5 sciatica; care started at the intake visit (day 0)."""
    flags = {k: "no" for k in V.RED_FLAG_QUESTIONS}
    flags.update(red or {})
    return parse_case({
        "patient": {"id": "F-1", "age_years": age, "sex": "female"},
        "onset_date": (CARE_START - dt.timedelta(days=10)).isoformat(),
        "visit_date": CARE_START.isoformat(), "care_start_date": CARE_START.isoformat(),
        "side": "left", "regions": ["lateral_leg", "dorsum_foot", "great_toe"],
        "pain": {"leg_nrs": leg, "back_nrs": 3},
        "red_flags": flags,
        "examination": {"power": power or {"great_toe_extension": 4}},
        "function": {"odi_percent": odi},
        "visits": list(visits), "decisions": list(decisions),
    })


def status(case, n: int, settings=None) -> ReviewStatus:
    return surgical_review(case, day(n), settings).status


# --------------------------------------------------------------------------- the clock
@pytest.mark.parametrize("n, expected", [
    (0, ReviewStatus.NOT_DUE),
    (27, ReviewStatus.NOT_DUE),    # lead not reached
    (28, ReviewStatus.UPCOMING),   # 14 days before the window
    (41, ReviewStatus.UPCOMING),   # the day before the window: not due
    (42, ReviewStatus.DUE),        # six weeks: first due day
    (84, ReviewStatus.DUE),        # twelve weeks: last due day
    (85, ReviewStatus.OVERDUE),
    (120, ReviewStatus.OVERDUE),
])
def test_window_edges_with_a_follow_up_visit_not_improving(n, expected):
    case = make_case(visits=[visit(min(n, 21), leg=6, odi=40)])  # 7 -> 6, ODI 44 -> 40: below the MCID
    assert status(case, n) == expected


@pytest.mark.parametrize("n, expected", [
    (41, ReviewStatus.UPCOMING), (42, ReviewStatus.NEEDS_FOLLOW_UP), (84, ReviewStatus.NEEDS_FOLLOW_UP),
    (85, ReviewStatus.OVERDUE),
])
def test_in_window_without_any_follow_up_visit_needs_follow_up(n, expected):
    assert status(make_case(), n) == expected


def test_review_reports_days_weeks_and_window_dates():
    r = surgical_review(make_case(visits=[visit(30)]), day(45))
    assert r.days_since_care_start == 45 and r.weeks_since_care_start == 6
    assert r.window_opens == day(42) and r.window_closes == day(84)
    assert r.to_dict()["status"] == "due"


def test_improving_versus_not_improving_is_stated():
    improving = surgical_review(make_case(visits=[visit(35, leg=4, odi=30)]), day(50))  # 7 -> 4 (43%)
    stuck = surgical_review(make_case(visits=[visit(35, leg=7, odi=42)]), day(50))
    assert improving.improving is True and stuck.improving is False
    # Improving inside the window is not failed conservative care (NICE NG59 section 1.3, spinal decompression): its own status.
    assert improving.status == ReviewStatus.IMPROVING and stuck.status == ReviewStatus.DUE
    assert "keep under review" in improving.reason and "not improving" in stuck.reason


def test_resolved_scores_mean_not_due_even_inside_the_window():
    case = make_case(visits=[visit(40, leg=1, odi=12)])
    r = surgical_review(case, day(60))
    assert r.status == ReviewStatus.NOT_DUE and r.improvement.resolved
    assert "resolution thresholds" in r.reason


# --------------------------------------------------------------------------- decisions
def test_continue_until_snoozes_until_the_date_then_returns_to_the_clock():
    case = make_case(visits=[visit(44)], decisions=[decision(44, "continue_conservative_care", until=70)])
    assert status(case, 44) == ReviewStatus.SNOOZED
    assert status(case, 69) == ReviewStatus.SNOOZED
    assert status(case, 70) == ReviewStatus.DUE       # the until date itself: back on the worklist
    assert status(case, 85) == ReviewStatus.OVERDUE


@pytest.mark.parametrize("kind", ["referred_for_surgical_opinion", "patient_declined", "resolved_discharged"])
def test_terminal_decisions_close_the_case(kind):
    case = make_case(visits=[visit(43)], decisions=[decision(45, kind)])
    assert status(case, 44) == ReviewStatus.DUE  # before the decision
    assert status(case, 45) == ReviewStatus.CLOSED
    assert status(case, 200) == ReviewStatus.CLOSED


# --------------------------------------------------------------------------- red flags
def test_red_flag_at_intake_is_immediate_before_the_window():
    case = make_case(red={"history_of_cancer": "yes"})
    r = surgical_review(case, day(3))
    assert r.status == ReviewStatus.IMMEDIATE
    assert "suspected metastatic spinal cord compression" in r.reason


def test_night_pain_alone_is_not_a_red_flag_for_the_clock():
    assert status(make_case(red={"night_or_rest_pain": "yes"}), 3) == ReviewStatus.NOT_DUE


def test_red_flag_is_acknowledged_by_a_decision_on_or_after_it():
    case = make_case(red={"significant_trauma": "yes"},  # urgent (fracture), not an emergency
                     decisions=[decision(2, "continue_conservative_care", until=30)])
    assert status(case, 1) == ReviewStatus.IMMEDIATE
    assert status(case, 2) == ReviewStatus.SNOOZED
    assert status(case, 31) == ReviewStatus.UPCOMING


def test_new_red_flag_at_a_visit_overrides_a_snooze():
    case = make_case(visits=[visit(44), visit(50, red_flags={"saddle_anaesthesia": "yes"})],
                     decisions=[decision(44, "continue_conservative_care", until=80)])
    assert status(case, 49) == ReviewStatus.SNOOZED
    r = surgical_review(case, day(50))
    assert r.status == ReviewStatus.IMMEDIATE and "cauda equina" in r.reason
    assert status(case, 60) == ReviewStatus.IMMEDIATE  # still unacknowledged


def test_red_flag_overrides_a_closed_case():
    case = make_case(visits=[visit(60, red_flags={"fever": "yes", "iv_drug_use": "yes"})],
                     decisions=[decision(50, "patient_declined")])
    assert status(case, 55) == ReviewStatus.CLOSED
    assert status(case, 60) == ReviewStatus.IMMEDIATE


def test_new_flag_at_a_later_visit_retriggers_after_acknowledgement():
    case = make_case(red={"history_of_cancer": "yes"},
                     visits=[visit(20), visit(30, power={"ankle_dorsiflexion": 2})],
                     decisions=[decision(1, "continue_conservative_care", until=25)])
    assert status(case, 10) == ReviewStatus.SNOOZED      # acknowledged on day 1
    assert status(case, 26) == ReviewStatus.NOT_DUE      # snooze over, still before the lead
    assert status(case, 30) == ReviewStatus.IMMEDIATE    # new: foot drop (MRC 2) with cancer -> MSCC
    later = make_case(red={"history_of_cancer": "yes"},
                      visits=[visit(20), visit(30, power={"ankle_dorsiflexion": 2})],
                      decisions=[decision(1, "continue_conservative_care", until=25),
                                 decision(31, "referred_for_surgical_opinion")])
    assert status(later, 31) == ReviewStatus.CLOSED


def test_progressive_deficit_reported_at_a_visit_is_immediate():
    case = make_case(visits=[visit(50, red_flags={"progressive_neurological_deficit": "yes"})])
    assert status(case, 49) == ReviewStatus.NEEDS_FOLLOW_UP
    assert status(case, 50) == ReviewStatus.IMMEDIATE


def test_flag_answered_no_at_a_later_visit_clears_it():
    case = make_case(red={"fever": "yes"}, visits=[visit(5, red_flags={"fever": "no"})])
    assert status(case, 4) == ReviewStatus.IMMEDIATE
    assert status(case, 5) == ReviewStatus.NOT_DUE


def test_unknown_at_a_later_visit_does_not_clear_a_standing_red_flag():
    # Unknown is never no: re-asking and recording "unknown" keeps the earlier "yes".
    case = make_case(red={"urinary_retention_or_incontinence": "yes"},
                     visits=[visit(1, red_flags={"urinary_retention_or_incontinence": "unknown"})])
    assert status(case, 1) == ReviewStatus.IMMEDIATE


# --------------------------------------------------------------------------- as_of and settings
def test_visits_and_decisions_after_as_of_are_ignored():
    case = make_case(visits=[visit(60, leg=1, odi=10, red_flags={"saddle_anaesthesia": "yes"})],
                     decisions=[decision(70, "referred_for_surgical_opinion")])
    r = surgical_review(case, day(50))
    assert r.status == ReviewStatus.NEEDS_FOLLOW_UP   # the day-60 visit is not known yet
    assert r.facts.has_follow_up is False and r.improvement.improving is None
    assert status(case, 60) == ReviewStatus.IMMEDIATE
    assert status(case, 70) == ReviewStatus.CLOSED     # referral acknowledges the flag


def test_custom_settings_move_the_window():
    s = ReviewSettings(window_start_day=28, window_end_day=56, upcoming_lead_days=7).validated()
    case = make_case(visits=[visit(20)])
    assert [status(case, n, s) for n in (20, 21, 27, 28, 56, 57)] == [
        ReviewStatus.NOT_DUE, ReviewStatus.UPCOMING, ReviewStatus.UPCOMING,
        ReviewStatus.DUE, ReviewStatus.DUE, ReviewStatus.OVERDUE]
    assert status(case, 28) == ReviewStatus.UPCOMING  # default settings unchanged


def test_status_from_facts_is_exactly_surgical_review():
    case = make_case(visits=[visit(44, leg=7)], red={"night_or_rest_pain": "yes"})
    s = default_review_settings()
    for n in (0, 27, 28, 41, 42, 84, 85):
        facts = review_facts(case, day(n), s)
        assert status_from_facts(facts, day(n), s)[0] == status(case, n)


def test_before_the_intake_visit_nothing_is_known_not_even_a_red_flag():
    """A case cannot be 'immediate' on a date before it was opened (worklists as of a past date)."""
    import datetime as _dt
    from radiculopathy_desktop.domain.followup import ReviewStatus, surgical_review
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.resources import resource_path
    import json as _json
    case = parse_case(_json.loads(resource_path("examples", "emergency_cauda_equina.json").read_text()))
    before = surgical_review(case, case.intake.visit_date - _dt.timedelta(days=1))
    assert before.status is ReviewStatus.NOT_DUE
    assert "not yet opened" in before.reason
    assert surgical_review(case, case.intake.visit_date).status is ReviewStatus.IMMEDIATE


# --------------------------------------------------------------------------- unknown at a visit
def test_unknown_at_a_visit_keeps_a_standing_yes_in_the_assessment_and_the_worklist():
    # Saddle numbness yes at intake; re-asked at day 20 and answered "unknown". Unknown is never
    # "no": the flag stands for the worklist and for the assessment alike (they must agree).
    from radiculopathy_desktop.domain.assess import assess_case

    case = make_case(red={"saddle_anaesthesia": "yes"},
                     visits=[visit(20, red_flags={"saddle_anaesthesia": "unknown"})])
    assert case.red_flags_as_of(day(21))["saddle_anaesthesia"] == "yes"
    assert status(case, 21) == ReviewStatus.IMMEDIATE
    assert assess_case(case, day(21)).triage.tier == "emergency"


def test_no_at_a_visit_clears_the_flag_in_both():
    from radiculopathy_desktop.domain.assess import assess_case

    case = make_case(red={"saddle_anaesthesia": "yes"},
                     visits=[visit(20, red_flags={"saddle_anaesthesia": "no"})])
    assert case.red_flags_as_of(day(21))["saddle_anaesthesia"] == "no"
    assert status(case, 21) != ReviewStatus.IMMEDIATE
    assert assess_case(case, day(21)).triage.tier != "emergency"
