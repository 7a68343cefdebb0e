"""Improvement and the review flag (issue 12 section 5), from the primary sources.

* Ostelo RW et al. Spine 2008;33:90-94: minimal important change NRS 2 points, ODI 10
  points, RMDQ 5 points, or a 30% improvement from baseline on each measure.
* Leg pain is the primary outcome in sciatica (Peul WC et al. NEJM 2007): improving needs
  leg pain better by its MCID, or function better by its MCID with leg pain not worse;
  back pain alone never counts.
* NICE NG59 section 1.3, spinal decompression: consider decompression when non-surgical care has NOT improved pain or
  function, so a case improving in the 6-12 week window is "improving: keep under review",
  not a failed conservative treatment; it returns to due/overdue when the improvement
  stalls, is lost or is not re-confirmed within the recheck interval (28 days by default).
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain import vocabulary as V
from radiculopathy_desktop.domain.followup import ReviewStatus, surgical_review
from radiculopathy_desktop.domain.instruments import improvement
from radiculopathy_desktop.domain.intake import ScorePoint, parse_case
from radiculopathy_desktop.domain.settings import default_review_settings

S = default_review_settings()
CARE_START = dt.date(2026, 1, 5)


def day(n: int) -> dt.date:
    return CARE_START + dt.timedelta(days=n)


def point(n, leg=None, back=None, odi=None, rmdq=None) -> ScorePoint:
    return ScorePoint(day(n), leg, back, odi, rmdq, n == 0)


def judge(base: ScorePoint, *later: ScorePoint):
    return improvement(base, list(later), S)


# --------------------------------------------------------------------------- MCID boundaries
@pytest.mark.parametrize("before, after, improving", [
    (8, 6, True),    # 2 points: the MCID
    (8, 7, False),   # 1 point, 12.5%
    (3, 2, True),    # 1 point but 33% of the baseline
    (4, 3, False),   # 1 point, 25%
    (10, 7, True),   # 3 points (30%)
    (7, 7, False),
])
def test_leg_pain_mcid_boundaries(before, after, improving):
    assert judge(point(0, leg=before), point(30, leg=after)).improving is improving


@pytest.mark.parametrize("odi_before, odi_after, improving", [
    (50.0, 40.0, True),    # 10 points: the MCID
    (50.0, 41.0, False),   # 9 points, 18%
    (20.0, 14.0, True),    # 6 points but 30%
    (20.0, 15.0, False),   # 5 points, 25%
])
def test_function_mcid_with_leg_pain_unchanged(odi_before, odi_after, improving):
    assert judge(point(0, leg=6, odi=odi_before), point(30, leg=6, odi=odi_after)).improving is improving


@pytest.mark.parametrize("rmdq_before, rmdq_after, improving", [(15, 10, True), (15, 11, False), (10, 7, True)])
def test_rmdq_mcid_with_leg_pain_unchanged(rmdq_before, rmdq_after, improving):
    assert judge(point(0, leg=6, rmdq=rmdq_before), point(30, leg=6, rmdq=rmdq_after)).improving is improving


def test_function_better_counts_only_with_leg_pain_not_worse():
    result = judge(point(0, leg=6, odi=50.0), point(30, leg=7, odi=30.0))  # leg 6 -> 7: worse, below its MCID
    assert result.improving is False
    assert any("leg pain is worse than at baseline" in r for r in result.reasons)


def test_function_better_without_leg_pain_recorded_does_not_count():
    assert judge(point(0, leg=6, odi=50.0), point(30, odi=30.0)).improving is not True


def test_back_pain_alone_never_counts():
    result = judge(point(0, leg=7, back=8, odi=40.0), point(30, leg=7, back=1, odi=40.0))
    assert result.improving is False
    assert judge(point(0, leg=7, back=8), point(30, back=1)).improving is None  # nothing comparable


def test_an_odi_scored_from_section_answers_is_a_baseline():
    case = _case(odi_answers=[3] * 10, visits=[{"date": day(35).isoformat(), "leg_nrs": 7, "odi_percent": 45}])
    assert case.baseline_scores().odi_percent == 60.0
    review = surgical_review(case, day(42))
    assert review.improvement.odi_change == -15.0
    assert review.improving is True


# --------------------------------------------------------------------------- stalls and losses
def test_improvement_that_stalls_is_not_improving():
    result = judge(point(0, leg=8), point(20, leg=5), point(40, leg=5))
    assert result.improved_from_baseline is True and result.stalled is True and result.improving is False
    assert any("stalled" in r for r in result.reasons)


@pytest.mark.parametrize("held, stalled", [(3, True), (2, False), (0, False)])
def test_holding_at_the_resolution_level_is_not_a_stall(held, stalled):
    """Leg pain that improved to the clinic's resolution level (NRS 2 by default) and stays
    there has nowhere left to go: it is recovery, not an improvement that has stalled
    (which would return the case to the surgical-review clock). One point above, it stalls."""
    result = judge(point(0, leg=8), point(20, leg=held), point(40, leg=held))
    assert result.stalled is stalled and result.improving is (not stalled)
    assert any("stalled" in r for r in result.reasons) is stalled


def test_function_holding_at_its_resolution_level_is_not_a_stall():
    # ODI 20 % is the default resolution level; leg pain unchanged at 4 (not better by the MCID).
    result = judge(point(0, leg=4, odi=50), point(20, leg=4, odi=20), point(40, leg=4, odi=20))
    assert result.improving is True and not result.stalled
    assert judge(point(0, leg=4, odi=50), point(20, leg=4, odi=24), point(40, leg=4, odi=24)).stalled is True


def test_improvement_still_progressing_is_improving():
    result = judge(point(0, leg=8), point(20, leg=5), point(40, leg=4))
    assert result.improving is True and not result.stalled


def test_improvement_lost_is_not_improving():
    assert judge(point(0, leg=8), point(20, leg=5), point(40, leg=8)).improving is False


# --------------------------------------------------------------------------- the status, day by day
def _case(visits=(), decisions=(), leg=7, odi=44.0, odi_answers=None):
    function = {"odi_answers": odi_answers} if odi_answers else {"odi_percent": odi}
    return parse_case({
        "patient": {"id": "I-1", "age_years": 45, "sex": "male"},
        "onset_date": (CARE_START - dt.timedelta(days=10)).isoformat(),
        "visit_date": CARE_START.isoformat(), "care_start_date": CARE_START.isoformat(),
        "side": "left", "regions": ["lateral_leg"], "pain": {"leg_nrs": leg, "back_nrs": 3},
        "red_flags": {k: "no" for k in V.RED_FLAG_QUESTIONS}, "function": function,
        "visits": list(visits), "decisions": list(decisions),
    })


def visit(n, leg, odi=44.0):
    return {"date": day(n).isoformat(), "leg_nrs": leg, "odi_percent": odi}


@pytest.mark.parametrize("n, expected", [
    (41, ReviewStatus.UPCOMING),
    (42, ReviewStatus.IMPROVING),
    (63, ReviewStatus.IMPROVING),   # 28 days after the visit that showed it
    (64, ReviewStatus.DUE),         # not re-confirmed within 28 days: due again
    (84, ReviewStatus.DUE),
    (85, ReviewStatus.OVERDUE),
])
def test_improving_inside_the_window_then_not_reconfirmed(n, expected):
    case = _case(visits=[visit(35, leg=4)])  # 7 -> 4: better by 3 points
    review = surgical_review(case, day(n))
    assert review.status == expected
    if expected == ReviewStatus.IMPROVING:
        assert review.status.label == "Improving: keep under review"
        assert "NG59" in review.reason


@pytest.mark.parametrize("n, expected", [
    (84, ReviewStatus.IMPROVING),
    (85, ReviewStatus.IMPROVING),   # improving, seen on day 70: not a failed conservative treatment
    (98, ReviewStatus.IMPROVING),
    (99, ReviewStatus.OVERDUE),     # 29 days after the last visit
])
def test_improving_at_the_end_of_the_window(n, expected):
    case = _case(visits=[visit(35, leg=5), visit(70, leg=3)])
    assert surgical_review(case, day(n)).status == expected


@pytest.mark.parametrize("later_leg, n, expected", [
    (3, 84, ReviewStatus.DUE),       # stalled at day 80 (3 -> 3): due again
    (3, 85, ReviewStatus.OVERDUE),
    (7, 84, ReviewStatus.DUE),       # lost (back to baseline)
    (7, 85, ReviewStatus.OVERDUE),
])
def test_stalled_or_lost_improvement_returns_to_the_clock(later_leg, n, expected):
    case = _case(visits=[visit(35, leg=5), visit(70, leg=3), visit(80, leg=later_leg)])
    assert surgical_review(case, day(n)).status == expected


def test_red_flag_and_resolution_still_come_first():
    resolved = _case(visits=[visit(50, leg=1, odi=10.0)])
    assert surgical_review(resolved, day(55)).status == ReviewStatus.NOT_DUE
    flagged = _case(visits=[visit(50, leg=4) | {"red_flags": {"saddle_anaesthesia": "yes"}}])
    assert surgical_review(flagged, day(55)).status == ReviewStatus.IMMEDIATE
