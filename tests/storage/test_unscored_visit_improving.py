"""Both engines (the ``store`` fixture): only a visit holding a score re-confirms "Improving:
keep under review" (fu16). The rule (README, the follow-up tracker; ``domain.followup``):
a case in the review window is Improving while it is improving "and the improvement was seen at
a follow-up within the last ``improving_recheck_days``" (default 28), and since
REVIEW_FACTS_VERSION 10 "only a visit holding a score is a follow-up" for the review clock. A
red-flag re-screen by phone or a note says nothing about whether the patient is still improving,
so it must not renew the status: the review falls due 28 days after the last scored visit,
whatever unscored visit came since. Boundaries: day 28 after the scored visit (Improving), day
29 (not), with an unscored visit 5 days before. The case's review, its worklist row (the stored
facts), the status counts and a worklist as of a past date (the facts history) agree.
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.followup import surgical_review
from radiculopathy_desktop.domain.intake import FollowUpVisit, parse_case
from radiculopathy_desktop.domain.vocab import ReviewStatus

from tracker_support import ANCHOR, case_dict

STORE_ENGINES = ("sqlite", "postgresql")
D = dt.timedelta
START = ANCHOR - D(days=100)
SCORED = START + D(days=40)       # leg pain 9 -> 5: improving (not at the resolution level, 2)
PHONE = SCORED + D(days=24)       # a red-flag re-screen by phone, no score
RECHECK = 28                      # improving_recheck_days, the default


def _statuses(store, case_id: str, as_of: dt.date) -> set:
    """The case's status by its review, its worklist row and the status counts."""
    review = store.review(case_id, as_of).status
    (row,) = [r for r in store.worklist(as_of, statuses=list(ReviewStatus)) if r.case_id == case_id]
    counts = {k for k, v in store.status_counts(as_of).items() if v}
    assert counts == {review}  # the only case
    return {review, row.status}


@pytest.fixture
def phoned(store):
    data = case_dict("U-1", care_start=START, leg=9, visits=[{"date": SCORED, "leg_nrs": 5}])
    store.import_cases([parse_case(data)], user="dr.a")
    store.add_visit("U-1", FollowUpVisit(PHONE, red_flags={"saddle_anaesthesia": "no", "fever": "no"}),
                    user="dr.b")
    return store


def test_improving_holds_until_28_days_after_the_scored_visit(phoned):
    assert _statuses(phoned, "U-1", SCORED + D(days=RECHECK)) == {ReviewStatus.IMPROVING}


def test_a_phone_re_screen_does_not_renew_improving_on_day_29(phoned):
    day = SCORED + D(days=RECHECK + 1)  # 5 days after the phone call, 29 after the scores
    assert (day - PHONE).days < RECHECK
    statuses = _statuses(phoned, "U-1", day)
    assert statuses == {ReviewStatus.OVERDUE if (day - START).days > 84 else ReviewStatus.DUE}
    review = phoned.review("U-1", day)
    assert review.facts.last_follow_up_date == SCORED
    assert "improving but not re-confirmed in the last 28 days" in review.reason


def test_the_worklist_as_of_a_past_date_reads_the_same(phoned):
    """The facts history: a later scored visit, so the dates above are in the past for the case."""
    phoned.add_visit("U-1", FollowUpVisit(SCORED + D(days=40), leg_nrs=4), user="dr.a")  # better again
    assert _statuses(phoned, "U-1", SCORED + D(days=RECHECK)) == {ReviewStatus.IMPROVING}
    assert ReviewStatus.IMPROVING not in _statuses(phoned, "U-1", SCORED + D(days=RECHECK + 1))
    # the new scored visit re-confirms it
    assert _statuses(phoned, "U-1", SCORED + D(days=40)) == {ReviewStatus.IMPROVING}


def test_a_scored_visit_renews_it():
    """The domain rule alone: the scored visit, not the phone call, dates the re-confirmation."""
    data = case_dict("U-2", care_start=START, leg=9, visits=[{"date": SCORED, "leg_nrs": 5},
                                                             {"date": PHONE, "leg_nrs": 4}])  # scored, better again
    case = parse_case(data)
    assert surgical_review(case, SCORED + D(days=RECHECK + 1)).status == ReviewStatus.IMPROVING
    assert surgical_review(case, PHONE + D(days=RECHECK)).status == ReviewStatus.IMPROVING
    assert surgical_review(case, PHONE + D(days=RECHECK + 1)).status != ReviewStatus.IMPROVING
