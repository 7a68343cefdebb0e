"""Both engines (the ``store`` fixture): only a follow-up visit holding a score (leg pain,
back pain, ODI or RMDQ) moves a case in the review window from "Needs follow-up" to "Due"
(README, "What a visit records"; docs/assessment-output.md, ``needs_follow_up``). A red-flag
re-screen by phone, a muscle grade or a note alone says nothing about whether the patient
improved: the case still needs a scored follow-up. Its red-flag answers and grades still
count for the red flags. The worklist row, the status counts, the case's review and the
worklist as of a past date (the facts history) say the same on both engines."""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.intake import FollowUpVisit, parse_case
from radiculopathy_desktop.domain.vocab import ReviewStatus

from tracker_support import ANCHOR, case_dict

STORE_ENGINES = ("sqlite", "postgresql")
INTAKE = ANCHOR - dt.timedelta(days=50)  # day 50: inside the 42-84 window on ANCHOR
PHONE = ANCHOR - dt.timedelta(days=5)    # day 45
NEEDS, DUE = ReviewStatus.NEEDS_FOLLOW_UP, ReviewStatus.DUE


def _everywhere(store, case_id: str, as_of: dt.date = ANCHOR) -> set:
    """The case's status by its review, its worklist row and its share of the status counts."""
    review = store.review(case_id, as_of).status
    rows = [r for r in store.worklist(as_of, statuses=list(ReviewStatus)) if r.case_id == case_id]
    assert len(rows) == 1
    return {review, rows[0].status}


def _imported(store, case_id: str, *visits: dict) -> None:
    store.import_cases([parse_case(case_dict(case_id, care_start=INTAKE, visits=list(visits) or None))],
                       user="dr.a")


@pytest.mark.parametrize("visit", [
    {"red_flags": {"saddle_anaesthesia": "no", "fever": "no"}},  # a red-flag re-screen by phone
    {"power": {"great_toe_extension": 5}},                        # a muscle grade alone
    {"notes": "Phoned: no change reported"},                      # a note alone
], ids=["red-flag-only", "muscle-grade-only", "note-only"])
def test_a_visit_without_a_score_leaves_needs_follow_up(store, visit):
    _imported(store, "N-1")
    assert _everywhere(store, "N-1") == {NEEDS}
    counts_before = store.status_counts(ANCHOR)
    store.add_visit("N-1", FollowUpVisit(PHONE, **visit), user="dr.a")
    assert _everywhere(store, "N-1") == {NEEDS}
    assert store.status_counts(ANCHOR) == counts_before
    review = store.review("N-1", ANCHOR)
    assert review.facts.has_follow_up is False and review.facts.last_follow_up_date is None
    assert "no scored follow-up visit" in review.reason
    assert len(store.get_case("N-1").visits) == 1  # the visit is kept and listed, it just is not a scored follow-up


@pytest.mark.parametrize("score", [{"leg_nrs": 6}, {"back_nrs": 3}, {"odi_percent": 38.0}, {"rmdq": 12}],
                         ids=["leg", "back", "odi", "rmdq"])
def test_any_one_score_makes_a_follow_up(store, score):
    _imported(store, "S-1")
    counts = store.status_counts(ANCHOR)
    store.add_visit("S-1", FollowUpVisit(PHONE, **score), user="dr.a")
    assert _everywhere(store, "S-1") == {DUE}
    after = store.status_counts(ANCHOR)
    assert after[NEEDS] == counts[NEEDS] - 1 and after[DUE] == counts[DUE] + 1
    # the date that re-confirms "Improving" is that of a score the improvement rule judges against
    # the baseline (rt16 F3): leg pain or ODI here; back pain never, RMDQ not (no baseline RMDQ)
    judged = "leg_nrs" in score or "odi_percent" in score
    assert store.review("S-1", ANCHOR).facts.last_follow_up_date == (PHONE if judged else None)


def test_mixed_visits_scored_one_counts_and_the_dates_say_when(store):
    # a red-flag re-screen on day 45, the scored visit on day 48, another phone call on day 49
    scored_day = ANCHOR - dt.timedelta(days=2)
    _imported(store, "M-1",
              {"date": PHONE, "red_flags": {"fever": "no"}},
              {"date": scored_day, "leg_nrs": 6, "odi_percent": 36.0},
              {"date": ANCHOR - dt.timedelta(days=1), "notes": "phoned, booked"})
    assert _everywhere(store, "M-1") == {DUE}
    # the facts history: between the phone call and the scored visit it still needed one
    assert _everywhere(store, "M-1", PHONE) == {NEEDS}
    assert _everywhere(store, "M-1", scored_day - dt.timedelta(days=1)) == {NEEDS}
    assert _everywhere(store, "M-1", scored_day) == {DUE}
    # the last visit holding a score (fu16: the phone call after it does not re-confirm "Improving")
    assert store.review("M-1", ANCHOR).facts.last_follow_up_date == scored_day


def test_the_red_flag_answers_of_an_unscored_visit_still_count(store):
    _imported(store, "R-1")
    store.add_visit("R-1", FollowUpVisit(PHONE, red_flags={"saddle_anaesthesia": "yes"}), user="dr.a")
    assert _everywhere(store, "R-1") == {ReviewStatus.IMMEDIATE}
    # an intake's unanswered cauda equina question answered at a phone re-screen: "Ask red-flag
    # questions" ends, and the case still needs a scored follow-up
    store.import_cases([parse_case(case_dict("R-2", care_start=INTAKE, red_flags={"saddle_anaesthesia": "unknown"}))],
                       user="dr.a")
    assert _everywhere(store, "R-2") == {ReviewStatus.ASK_RED_FLAGS}
    store.add_visit("R-2", FollowUpVisit(PHONE, red_flags={"saddle_anaesthesia": "no"}), user="dr.a")
    assert _everywhere(store, "R-2") == {NEEDS}
    _imported(store, "R-3")
    store.add_visit("R-3", FollowUpVisit(PHONE, power={"great_toe_extension": 3}), user="dr.a")
    assert _everywhere(store, "R-3") == {ReviewStatus.IMMEDIATE}  # a muscle graded weaker, to MRC 3


def test_past_the_window_an_unscored_case_is_overdue_as_before(store):
    # the clock itself is unchanged: on day 85 a case with only a phone re-screen is Overdue
    _imported(store, "O-1", {"date": PHONE, "red_flags": {"fever": "no"}})
    day85 = INTAKE + dt.timedelta(days=85)
    assert _everywhere(store, "O-1", day85) == {ReviewStatus.OVERDUE}
    assert "no follow-up scores" in store.review("O-1", day85).reason
