"""A second visit of the same day is no trend (gp19 F5; H-FU-343).

Primary sources, as the improvement rule cites them (domain/instruments.MCID_SOURCE):

* Ostelo RW et al. Spine 2008;33:90-94: the minimal important *change* (NRS 2 points, ODI 10,
  RMDQ 5, or 30 %) is a change from baseline to a later follow-up, a change over time.
* resources/rules/outcome_measures.toml: a follow-up counts for the outcome time points only
  in "days 28-56" (6 weeks) or "days 70-98" (12 weeks) of care: day 0 is never a follow-up.

So a visit dated on the intake's own day (a carried repeat intake added as "a second visit
that day") is not a follow-up: Progress stays unknown and the review clock still asks for a
follow-up. Of two visits on one later day, the later's scores stand, and the stalled check
compares them with an earlier day, never with each other. The case view, the worklist's
stored facts and the worklist as of a past date agree, on both engines (the ``store`` fixture).
"""

from __future__ import annotations

import datetime as dt

from radiculopathy_desktop.domain.followup import review_facts
from radiculopathy_desktop.domain.instruments import improvement
from radiculopathy_desktop.domain.intake import FollowUpVisit, ScorePoint, parse_case
from radiculopathy_desktop.domain.settings import default_review_settings
from radiculopathy_desktop.domain.visits import SAME_DAY_TREND
from radiculopathy_desktop.domain.vocab import ReviewStatus

from tracker_support import ANCHOR, case_dict

D = dt.timedelta
STORE_ENGINES = ("sqlite", "postgresql")
S = default_review_settings()


def _rows(store, day=ANCHOR) -> dict:
    return {r.case_id: r for r in store.worklist(day, statuses=list(ReviewStatus))}


def _same_everywhere(store, case_id, improving, has_follow_up, day=ANCHOR):
    review = store.review(case_id, day)
    assert review.improvement.improving is improving
    assert review.facts.has_follow_up is has_follow_up
    row = _rows(store, day)[case_id]
    assert row.improving is improving
    assert bool(row.has_follow_up) is has_follow_up
    return review, row


def test_a_same_day_repeat_of_the_intake_is_not_a_follow_up(store):
    """Intake leg 6 and a second visit that day at leg 6: day 0, no trend (it read Not improving)."""
    today = ANCHOR
    store.import_cases([parse_case(case_dict("SD-1", care_start=today, leg=6, odi=40.0))], user="dr.a")
    store.add_visit("SD-1", FollowUpVisit(date=today, leg_nrs=6, odi_percent=40.0), user="dr.a")
    review, _row = _same_everywhere(store, "SD-1", None, False, today)
    assert "zero days" in " ".join(review.improvement.reasons)
    assert review.facts.last_follow_up_date is None


def test_a_visit_the_next_day_is_a_follow_up(store):
    """Just above the boundary: one day after the intake the rule judges (unchanged leg 6 -> 6)."""
    start = ANCHOR - D(days=1)
    store.import_cases([parse_case(case_dict("SD-2", care_start=start, leg=6, odi=40.0))], user="dr.a")
    store.add_visit("SD-2", FollowUpVisit(date=ANCHOR, leg_nrs=6, odi_percent=40.0), user="dr.a")
    _same_everywhere(store, "SD-2", False, True)


def test_a_same_day_visit_then_a_later_better_one_is_judged_on_the_later(store):
    start = ANCHOR - D(days=40)
    visits = [{"date": start, "leg_nrs": 8, "odi_percent": 40.0},
              {"date": start + D(days=30), "leg_nrs": 4, "odi_percent": 40.0}]
    store.import_cases([parse_case(case_dict("SD-3", care_start=start, leg=8, odi=40.0, visits=visits))],
                       user="dr.a")
    _same_everywhere(store, "SD-3", True, True)


def test_two_visits_of_one_later_day_are_not_a_stalled_pair(store):
    """Improved 8 -> 4 at two visits of day 30: not 'stalled' (no time between them)."""
    start = ANCHOR - D(days=40)
    on = start + D(days=30)
    visits = [{"date": on, "leg_nrs": 4, "odi_percent": 40.0}, {"date": on, "leg_nrs": 4, "odi_percent": 40.0}]
    store.import_cases([parse_case(case_dict("SD-4", care_start=start, leg=8, odi=40.0, visits=visits))],
                       user="dr.a")
    review, _ = _same_everywhere(store, "SD-4", True, True)
    assert not review.improvement.stalled


def test_the_stalled_check_compares_with_the_previous_day_not_the_same_day_twin():
    """Day 30 leg 4, then two visits on day 60 at 4 and 4: stalled against day 30 (no better)."""
    start = dt.date(2026, 1, 1)
    base = ScorePoint(start, 8, None, None, None, True)
    ups = [ScorePoint(start + D(days=30), 4, None, None, None, False),
           ScorePoint(start + D(days=60), 5, None, None, None, False),
           ScorePoint(start + D(days=60), 4, None, None, None, False)]
    imp = improvement(base, ups, S)
    assert imp.stalled and imp.improving is False  # 4 -> 4 since day 30: the same-day 5 -> 4 is no trend
    better = ups[:2] + [ScorePoint(start + D(days=60), 3, None, None, None, False)]
    assert improvement(base, better, S).improving is True


def test_review_facts_of_a_same_day_visit_in_the_domain():
    start = dt.date(2026, 3, 2)
    case = parse_case(case_dict("SD-5", care_start=start, leg=6, visits=[{"date": start, "leg_nrs": 6}]))
    facts = review_facts(case, start)
    assert facts.improving is None and not facts.has_follow_up


def test_the_same_day_question_says_what_it_does_to_progress():
    assert "not a follow-up" in SAME_DAY_TREND and "Progress" in SAME_DAY_TREND
