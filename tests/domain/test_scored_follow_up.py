"""The one rule of what is a follow-up for the review clock (``visits.visit_has_score``,
read by ``followup.facts_from_events``): a visit holding a score, leg pain, back pain, ODI or
RMDQ (README "What a visit records" lists these four as the scores). A score of 0 is a score."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import make_case  # noqa: E402

from radiculopathy_desktop.domain.followup import review_facts, surgical_review  # noqa: E402
from radiculopathy_desktop.domain.intake import FollowUpVisit  # noqa: E402
from radiculopathy_desktop.domain.visits import visit_has_score, visit_records_something  # noqa: E402
from radiculopathy_desktop.domain.vocab import ReviewStatus  # noqa: E402

DAY = dt.date(2026, 3, 1)


@pytest.mark.parametrize("field", ["leg_nrs", "back_nrs", "odi_percent", "rmdq"])
@pytest.mark.parametrize("value", [0, 1])
def test_each_score_alone_is_a_score_zero_too(field, value):
    visit = FollowUpVisit(DAY, **{field: value})
    assert visit_has_score(visit) and visit_records_something(visit)


@pytest.mark.parametrize("visit", [
    FollowUpVisit(DAY, red_flags={"fever": "no"}),
    FollowUpVisit(DAY, power={"ankle_dorsiflexion": 4}),
    FollowUpVisit(DAY, notes="phoned"),
    FollowUpVisit(DAY, clinician="Dr A", notes="x"),
])
def test_a_record_without_a_score_is_no_score(visit):
    assert visit_records_something(visit) and not visit_has_score(visit)


def test_the_facts_count_only_scored_visits_and_only_up_to_as_of():
    start = DAY - dt.timedelta(days=50)
    phone, scored = DAY - dt.timedelta(days=6), DAY - dt.timedelta(days=3)
    case = make_case("F-1", care_start=start, visits=[
        {"date": phone, "red_flags": {"fever": "no"}},
        {"date": scored, "leg_nrs": 7}])
    before = review_facts(case, scored - dt.timedelta(days=1))
    assert (before.has_follow_up, before.last_follow_up_date) == (False, None)
    assert surgical_review(case, scored - dt.timedelta(days=1)).status == ReviewStatus.NEEDS_FOLLOW_UP
    on = review_facts(case, scored)
    assert (on.has_follow_up, on.last_follow_up_date) == (True, scored)
    assert surgical_review(case, DAY).status == ReviewStatus.DUE
