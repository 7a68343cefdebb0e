"""Clinic outcomes and audit (issue 16): every measure on small hand-built cohorts.

Each expected number is worked out by hand in the comments beside the cohort, from the
definitions in resources/rules/outcome_measures.toml and NICE QS155 statements 1-3
(https://www.nice.org.uk/guidance/qs155/chapter/quality-statements), not from the code.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest

from radiculopathy_desktop.domain.outcomes import (
    Distribution, Proportion, case_outcome_facts, compute_outcomes, compute_outcomes_from_facts, definitions,
    report_rows,
)

_spec = importlib.util.spec_from_file_location("outcome_cohorts", Path(__file__).resolve().parents[1] / "outcome_cohorts.py")
_cohorts = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_cohorts)
START, AS_OF, PERIOD, LOW, HIGH = _cohorts.START, _cohorts.AS_OF, _cohorts.PERIOD, _cohorts.LOW, _cohorts.HIGH
day, case = _cohorts.day, _cohorts.case
qs_cohort, pathway_cohort, outcome_cohort = _cohorts.qs_cohort, _cohorts.pathway_cohort, _cohorts.outcome_cohort


def _from_stored_facts(cases, period_from, period_to, as_of, profile="uk", settings=None):
    """The store's path in memory: each case's facts made once as on a write
    (case_outcome_facts), the measures computed from them; a case with a record after
    ``as_of`` takes the exact path (the whole case), as in the store."""
    cases = list(cases)
    by_id = {c.case_id: c for c in cases}
    rows = [(c.case_id, case_outcome_facts(c, settings)) for c in cases]
    return compute_outcomes_from_facts(rows, by_id.__getitem__, period_from, period_to, as_of, profile=profile,
                                       settings=settings)


@pytest.fixture(params=["whole cases", "stored facts"])
def compute(request):
    """Every hand-worked number is checked on both paths: the whole cases (compute_outcomes)
    and the per-case facts stored on write (compute_outcomes_from_facts)."""
    return compute_outcomes if request.param == "whole cases" else _from_stored_facts


def measure(report, mid, group="all"):
    found = [m for _, m in report.all_rows() if m.id == mid and m.group == group]
    assert len(found) == 1, (mid, group, [(m.id, m.group) for _, m in report.all_rows()])
    return found[0]


def ids(refs):
    return sorted(r.case_id for r in refs)


# --------------------------------------------------------------------------- QS155
def test_qs155_statements_by_hand(compute):
    report = compute(qs_cohort(), *PERIOD, as_of=AS_OF, profile="uk")
    assert report.cohort_size == 7  # A-G; OUT is in December
    # Statement 1: STarT Back at the intake in A, B, C, D of 7 -> 4/7 = 57.1 %
    s1 = measure(report, "qs1_risk_stratification")
    assert (s1.numerator, s1.denominator, s1.percent) == (4, 7, 57.1)
    assert ids(s1.cases_in_numerator) == ["A", "B", "C", "D"] and ids(s1.cases_not_in_numerator) == ["E", "F", "G"]
    # Statement 2: inappropriate = A only; recorded = A-E (5); not recorded = F (nothing), G (no requester)
    s2 = measure(report, "qs2_imaging_without_serious_pathology")
    assert (s2.numerator, s2.denominator, s2.not_recorded, s2.percent) == (1, 5, 2, 20.0)
    assert ids(s2.cases_in_numerator) == ["A"] and ids(s2.cases_not_recorded) == ["F", "G"]
    assert "non-specialist" in s2.cases_in_numerator[0].detail
    # Statement 3: given = A, B (visit), D (visit); not given = C; not recorded = E, F, G
    # -> 3/4, fewer than 5 recorded: no percentage, and the 3 not recorded are never "no"
    s3 = measure(report, "qs3_self_management")
    assert (s3.numerator, s3.denominator, s3.not_recorded) == (3, 4, 3)
    assert s3.suppressed and s3.percent is None
    assert s3.display() == "3/4 (fewer than 5 cases: no percentage); not recorded: 3"
    assert ids(s3.cases_not_in_numerator) == ["C"] and ids(s3.cases_not_recorded) == ["E", "F", "G"]


def test_qs155_run_chart_is_monthly_and_suppresses_small_months(compute):
    report = compute(qs_cohort(), *PERIOD, as_of=AS_OF)
    run = report.run_charts["qs1_risk_stratification"]
    # January: A, B (2/2); February: C, D (2/2); March: E, F, G (0/3): every month < 5 cases
    assert [(mo, p.numerator, p.denominator, p.percent) for mo, p in run] == [
        ("2026-01", 2, 2, None), ("2026-02", 2, 2, None), ("2026-03", 0, 3, None)]


def test_records_after_as_of_do_not_count(compute):
    cohort = qs_cohort()
    # As of 2026-02-20, D's advice at the 2026-03-01 visit has not happened yet, and E-G not yet seen.
    report = compute(cohort, *PERIOD, as_of=dt.date(2026, 2, 20))
    assert report.cohort_size == 4
    s3 = measure(report, "qs3_self_management")
    assert (s3.numerator, s3.denominator, s3.not_recorded) == (2, 4, 0)  # A, B given; C, D not given (yet)


def test_a_red_flag_raised_after_the_request_does_not_justify_it(compute):
    flag_later = case("H", start_back=LOW,
                      imaging={"requested": True, "modality": "mri", "by_specialist": False, "reason": "other"},
                      visits=[{"date": day(20), "leg_nrs": 6, "red_flags": {"history_of_cancer": "yes"}}])
    report = compute([flag_later], *PERIOD, as_of=AS_OF)
    s2 = measure(report, "qs2_imaging_without_serious_pathology")
    assert (s2.numerator, s2.denominator, s2.percent, s2.suppressed) == (1, 1, None, True)


# --------------------------------------------------------------------------- pathway
def test_pathway_measures_by_hand(compute):
    report = compute(pathway_cohort(), *PERIOD, as_of=AS_OF)
    assert report.cohort_size == 8
    # Weeks to the first decision: 6, 8, 10, 12, 14 -> median 10, Q1 8, Q3 12 (inclusive quartiles)
    t = measure(report, "time_to_decision")
    assert isinstance(t, Distribution) and sorted(t.values) == [6, 8, 10, 12, 14]
    assert (t.median, t.quartiles) == (10, (8, 12))
    assert report.weeks_to_decision == {6: 1, 8: 1, 10: 1, 12: 1, 14: 1}
    # Unresolved at day 84 without a decision: all 8 reached day 84 by 2026-06-30 (P8: 2026-06-22).
    # Decision by day 84: P1-P4. P6 resolved by day 84. P5 (decision day 98), P7, P8 -> 3/8 = 37.5 %
    u = measure(report, "unresolved_12_weeks_no_decision")
    assert (u.numerator, u.denominator, u.percent) == (3, 8, 37.5)
    assert ids(u.cases_in_numerator) == ["P5", "P7", "P8"]
    # Reviewed inside days 42-84: P1 (visit+decision 42), P2 (56), P3 (70), P4 (84), P6 (visit 60) -> 5/8 = 62.5 %
    r = measure(report, "reviewed_in_window")
    assert (r.numerator, r.denominator, r.percent) == (5, 8, 62.5)
    # Referred: P1, P5 -> 2/8 = 25.0 %
    ref = measure(report, "referred_surgical_opinion")
    assert (ref.numerator, ref.denominator, ref.percent) == (2, 8, 25.0)
    # Lost: open cases (P2 snoozed until day 200 = 2026-07-24 > as of: not lost; P6, P7, P8 open).
    # P6 last seen day 60 = 2026-03-06: 116 days > 84 -> lost; P7 day 20: lost; P8 intake 2026-03-30: 92 > 84 -> lost
    lost = measure(report, "lost_to_follow_up")
    assert (lost.numerator, lost.denominator, lost.percent) == (3, 8, 37.5)
    assert ids(lost.cases_in_numerator) == ["P6", "P7", "P8"]


def test_lost_to_follow_up_boundary_is_the_window_end_day(compute):
    # last seen exactly 84 days before as of: not lost; 85 days: lost
    seen84 = case("L84", intake=AS_OF - dt.timedelta(days=84))
    seen85 = case("L85", intake=AS_OF - dt.timedelta(days=85))
    report = compute([seen84, seen85], dt.date(2026, 1, 1), AS_OF, as_of=AS_OF)
    lost = measure(report, "lost_to_follow_up")
    assert ids(lost.cases_in_numerator) == ["L85"] and ids(lost.cases_not_in_numerator) == ["L84"]


# --------------------------------------------------------------------------- outcomes
def test_leg_pain_change_and_mcid_at_6_weeks_by_hand(compute):
    report = compute(outcome_cohort(), *PERIOD, as_of=AS_OF)
    leg = measure(report, "leg_pain_change", "6 weeks, all cases")
    # values -6, -4, -1, 0, 2: median -1; inclusive Q1 = value at position 1 = -4, Q3 at position 3 = 0
    assert sorted(leg.values) == [-6, -4, -1, 0, 2]
    assert (leg.median, leg.quartiles) == (-1, (-4, 0))
    assert leg.display() == "median -1 points (IQR -4 to 0), n=5"
    # MCID (2 points or 30 %, nothing worse): O1 -4 yes, O2 -1 (14 %) no, O3 0 no, O4 -6 yes, O5 +2 worse no -> 2/5
    mcid = measure(report, "improved_mcid", "6 weeks, all cases")
    assert (mcid.numerator, mcid.denominator, mcid.percent) == (2, 5, 40.0)
    assert ids(mcid.cases_in_numerator) == ["O1", "O4"]
    # By STarT Back group: low = O1, O2 (2 cases) -> suppressed, still listed
    low = measure(report, "improved_mcid", "6 weeks, Low risk")
    assert (low.numerator, low.denominator, low.percent) == (1, 2, None)
    low_leg = measure(report, "leg_pain_change", "6 weeks, Low risk")
    assert low_leg.median is None and low_leg.display() == "n=2 (fewer than 5 cases: no median)"
    # 12 weeks (days 70-98): nobody has a visit there
    assert measure(report, "leg_pain_change", "12 weeks, all cases").display() == "no cases"
    # no ODI recorded anywhere: function change has no cases, never a zero
    assert measure(report, "function_change", "6 weeks, all cases").n == 0


def test_resolved_share_by_hand(compute):
    report = compute(outcome_cohort(), *PERIOD, as_of=AS_OF)
    # Latest leg pain <= 2 with no function score recorded -> resolved: O2 (2 at day 56), O6 (2 at day 20) -> 2/6
    res = measure(report, "resolved", "all cases")
    assert (res.numerator, res.denominator, res.percent) == (2, 6, 33.3)
    assert ids(res.cases_in_numerator) == ["O2", "O6"]


def test_leg_pain_over_time_by_group_uses_two_week_bins(compute):
    report = compute(outcome_cohort(), *PERIOD, as_of=AS_OF)
    low = dict(report.leg_pain_by_group["low"])
    # O1, O2 at week 0 (8, 7); week 6: O1 day 42 (4); O2 day 40 is week 5 -> bin 4 (6); O2 day 56 -> week 8 (2)
    assert sorted(low[0].values) == [7, 8] and low[4].values == (6.0,) and low[6].values == (4.0,)
    assert low[8].values == (2.0,) and low[0].median is None  # 2 cases: suppressed


def test_period_validation_and_definitions_are_complete(compute):
    with pytest.raises(ValueError, match="ends"):
        compute([], dt.date(2026, 2, 1), dt.date(2026, 1, 1), as_of=AS_OF)
    report = compute([], *PERIOD, as_of=AS_OF)
    assert report.cohort_size == 0 and all(m.display() == "no cases" for _, m in report.all_rows())
    d = definitions()
    assert d["min_cases"] == 5
    for _, m in report.all_rows():  # every measure shown has its words
        entry = d["by_id"][m.id]
        assert entry["title"] and entry["numerator"] and entry["denominator"]
    qs = [m for m in d["measure"] if m["section"] == "qs155"]
    assert [m["statement"] for m in qs] == [1, 2, 3]
    assert qs[1]["statement_text"].startswith("Young people and adults with low back pain with or without sciatica "
                                              "do not have imaging requested by a non-specialist service")
    assert "undercount" in qs[1]["caveat"] and "red flag" in qs[1]["caveat"]  # H-FU-53: the limit is written down
    rows = report_rows(report)
    assert {r["section"] for r in rows} == {"qs155", "pathway", "outcomes"}


def test_a_cell_of_five_cases_shows_its_percentage():
    p = Proportion("x", "x", 1, 5)
    assert (p.suppressed, p.percent, p.display()) == (False, 20.0, "1/5 (20.0%)")
    p4 = Proportion("x", "x", 1, 4)
    assert (p4.suppressed, p4.percent) == (True, None)
