"""surgstep: the worklist's review status and the pathway's surgical-opinion step come from the
same fact for EVERY review status (domain.assess.surgical_step_follows_review), in both guideline
profiles. What the clinician must read, per status:

* due / overdue (6-12 weeks of conservative care, not improving): "Now", led by the status's reason;
* snoozed (the clinician chose to continue conservative care until a date): not Now; the step says
  when it is reviewed again, who decided and when;
* closed by "patient declined": not Now; the patient's decision and its date are named;
* closed by "resolved or discharged", or resolved by the scores: not indicated, because resolved;
* not due / upcoming: not Now; the date it falls due (week 6) and is overdue (week 12), with the
  review window's source;
* improving, needs follow-up, cauda equina questions unanswered: not Now, saying what comes first;
* a red flag: the red-flag route overrides every step.

And the uk profile's due case with no non-surgical treatment tried: "Now" (the review is due) with
NICE NG59's condition said as what to check at this review, not "Not yet indicated" beside "Now"."""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.assess import SURGICAL_STEP, assess_case
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.citations import provenance_marks
from radiculopathy_desktop.domain.vocab import ReviewStatus

TODAY = dt.date(2026, 3, 2)
def _day(n: int) -> str:
    return (TODAY - dt.timedelta(days=n)).isoformat()


def case(days: int, *, leg_now: int | None = 7, decisions=(), red_flags=None, tried=()) -> dict:
    """A case ``days`` into conservative care; a scored follow-up 2 days ago at leg pain ``leg_now``
    (baseline 7, ODI 44), none when None."""
    start = TODAY - dt.timedelta(days=days)
    visits = [] if leg_now is None else [{"date": _day(2), "leg_nrs": leg_now, "back_nrs": 4,
                                          "odi_percent": 44 if leg_now > 2 else 10}]
    from radiculopathy_desktop.domain.vocabulary import RED_FLAG_QUESTIONS
    flags = {q: "no" for q in RED_FLAG_QUESTIONS}
    flags.update(red_flags or {})
    return {
        "format_version": 1, "case_id": "S-1-case",
        "patient": {"id": "S-1", "name": "Sam Step", "age_years": 44, "sex": "female"},
        "onset_date": (start - dt.timedelta(days=7)).isoformat(),
        "visit_date": start.isoformat(), "care_start_date": start.isoformat(),
        "side": "left", "regions": ["buttock", "lateral_leg", "dorsum_foot"],
        "pain": {"leg_nrs": 7, "back_nrs": 4}, "red_flags": flags, "function": {"odi_percent": 44},
        "treatments_tried": list(tried), "visits": visits, "decisions": list(decisions),
    }


def surgical(c: dict, profile: str, as_of: dt.date = TODAY):
    a = assess_case(parse_case(c), as_of, profile)
    return a.surgical_review, next(s for s in a.pathway.steps if s.id == SURGICAL_STEP)


def decided(kind: str, **more) -> dict:
    return dict({"date": TODAY.isoformat(), "kind": kind, "by": "Dr Ames"}, **more)


PROFILES = ["us", "uk"]
#: every review status, each with a case that has it on TODAY
CASES = {
    ReviewStatus.IMMEDIATE: case(20, red_flags={"saddle_anaesthesia": "yes"}),
    ReviewStatus.ASK_RED_FLAGS: case(70, red_flags={"saddle_anaesthesia": "unknown"}),
    ReviewStatus.OVERDUE: case(85),
    ReviewStatus.DUE: case(70),
    ReviewStatus.NEEDS_FOLLOW_UP: case(50, leg_now=None),
    ReviewStatus.IMPROVING: case(60, leg_now=4),
    ReviewStatus.UPCOMING: case(35, leg_now=None),
    ReviewStatus.NOT_DUE: case(10, leg_now=None),
    ReviewStatus.SNOOZED: case(70, decisions=[decided("continue_conservative_care",
                                                      until=(TODAY + dt.timedelta(days=28)).isoformat())]),
    ReviewStatus.CLOSED: case(70, decisions=[decided("patient_declined")]),
}


def test_every_review_status_is_covered():
    assert set(CASES) == set(ReviewStatus)


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("status", list(ReviewStatus), ids=lambda s: s.value)
def test_the_step_is_now_only_when_the_review_is_due_or_overdue(profile, status):
    review, step = surgical(CASES[status], profile)
    assert review.status == status
    assert (step.state == "current") == (status in (ReviewStatus.DUE, ReviewStatus.OVERDUE))
    if status == ReviewStatus.IMMEDIATE:  # the red-flag route overrides every step
        assert step.state == "not_applicable"
        return
    # the step's first reason is the status's own: the same fact, with its reasoning shown
    assert review.reason.rstrip(".") in step.why[0] or status == ReviewStatus.CLOSED or status == ReviewStatus.SNOOZED
    # beside "Now" nothing says "not yet indicated"
    if step.state == "current":
        assert not any(w.startswith("Not yet indicated") for w in step.why)


@pytest.mark.parametrize("profile", PROFILES)
def test_snoozed_says_when_it_is_reviewed_again_and_whose_decision(profile):
    until = TODAY + dt.timedelta(days=28)
    review, step = surgical(CASES[ReviewStatus.SNOOZED], profile)
    assert review.status == ReviewStatus.SNOOZED and step.state == "later"
    assert step.why[0].startswith(f"Reviewed again on {until.isoformat()}: Dr Ames decided on {TODAY.isoformat()} "
                                  "to continue conservative care")


@pytest.mark.parametrize("profile", PROFILES)
def test_snooze_ending_today_is_due_again_and_now(profile):
    """The snooze's until date is when the review comes back: on it the case is due again."""
    c = case(70, decisions=[decided("continue_conservative_care", date=_day(14), until=TODAY.isoformat())])
    review, step = surgical(c, profile)
    assert review.status == ReviewStatus.DUE and step.state == "current"
    assert step.why[0].startswith("Review due now: ")
    review, step = surgical(c, profile, TODAY - dt.timedelta(days=1))  # the day before: still snoozed
    assert review.status == ReviewStatus.SNOOZED and step.state == "later"
    assert step.why[0].startswith(f"Reviewed again on {TODAY.isoformat()}")


@pytest.mark.parametrize("profile", PROFILES)
def test_declined_names_the_patients_decision_not_now(profile):
    review, step = surgical(CASES[ReviewStatus.CLOSED], profile)
    assert review.status == ReviewStatus.CLOSED and "declined" in review.reason
    assert step.state == "not_applicable"
    assert step.why[0].startswith(f"Not now: the patient declined a surgical opinion on {TODAY.isoformat()}")


@pytest.mark.parametrize("profile", PROFILES)
def test_resolved_is_not_indicated_because_resolved(profile):
    # discharged as resolved by a decision
    review, step = surgical(case(70, decisions=[decided("resolved_discharged")]), profile)
    assert review.status == ReviewStatus.CLOSED
    assert step.state == "not_applicable"
    assert step.why[0].startswith(f"Not indicated: resolved or discharged on {TODAY.isoformat()}")
    # resolved by the scores (leg pain 1, ODI 10): not due, and not indicated because resolved
    review, step = surgical(case(60, leg_now=1), profile)
    assert review.status == ReviewStatus.NOT_DUE and review.improvement.resolved
    assert step.state == "not_applicable" and step.why[0].startswith("Not indicated: resolved. ")


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("days, status, state", [
    (27, ReviewStatus.NOT_DUE, "later"),   # before the 14-day lead
    (28, ReviewStatus.UPCOMING, "later"),  # the lead's first day
    (41, ReviewStatus.UPCOMING, "later"),  # the day before 6 weeks
    (42, ReviewStatus.DUE, "current"),     # exactly 6 weeks
    (84, ReviewStatus.DUE, "current"),     # exactly 12 weeks
    (85, ReviewStatus.OVERDUE, "current"),
])
def test_the_six_to_twelve_week_window(profile, days, status, state):
    leg_now = 7 if days >= 42 else None
    review, step = surgical(case(days, leg_now=leg_now), profile)
    assert review.status == status and step.state == state
    if state == "later":  # when it becomes due, and the window's source
        opens = TODAY - dt.timedelta(days=days) + dt.timedelta(days=42)
        closes = TODAY - dt.timedelta(days=days) + dt.timedelta(days=84)
        assert f"falls due on {opens.isoformat()} (day 42, 6 weeks of conservative care)" in step.why[0]
        assert f"overdue after {closes.isoformat()} (day 84, 12 weeks)" in step.why[0]
        # the window's source as the clinic reads it: the trials, no reviewer's note on a seed summary
        assert "Peul WC et al. NEJM 2007" in step.why[0] and not provenance_marks(step.why[0])
    else:
        assert step.why[0] == f"Review {status.value} now: {review.reason}"


@pytest.mark.parametrize("profile", PROFILES)
def test_improving_needs_follow_up_and_red_flag_questions_say_what_comes_first(profile):
    _, step = surgical(CASES[ReviewStatus.IMPROVING], profile)
    assert step.state == "later" and step.why[0].startswith("Not indicated while improving: ")
    _, step = surgical(CASES[ReviewStatus.NEEDS_FOLLOW_UP], profile)
    assert step.state == "later" and step.why[0].startswith("A scored follow-up first: ")
    _, step = surgical(CASES[ReviewStatus.ASK_RED_FLAGS], profile)
    assert step.state == "later" and step.why[0].startswith("The red-flag questions first: ")


def test_uk_due_without_non_surgical_treatment_says_what_to_check_now():
    """NICE NG59: consider decompression when non-surgical treatment has not improved pain or
    function. Due with none recorded as tried: Now means review now, checking that condition."""
    review, step = surgical(CASES[ReviewStatus.DUE], "uk")
    assert review.status == ReviewStatus.DUE and step.state == "current"
    assert step.why[0].startswith("Review due now: ")
    check = next(w for w in step.why if w.startswith("At this review, check the guideline's condition"))
    assert "non-surgical treatment has not improved pain or function" in check
    assert "review the non-surgical care" in check and "NICE NG59" in check
    assert not any(w.startswith("Not yet indicated") for w in step.why)
    # with a non-surgical treatment tried (not improving), the condition is met: no check line
    _, step = surgical(case(70, tried=["exercise_therapy"]), "uk")
    assert step.state == "current"
    assert not any(w.startswith("At this review, check") for w in step.why)
    assert any(w.startswith("Indicated: non-surgical treatment has not improved") for w in step.why)


@pytest.mark.parametrize("profile", PROFILES)
def test_red_flags_still_override_a_snooze_and_a_referral_is_done(profile):
    snoozed_red = case(70, red_flags={"saddle_anaesthesia": "yes"},
                       decisions=[decided("continue_conservative_care", until=(TODAY + dt.timedelta(days=28)).isoformat())])
    review, step = surgical(snoozed_red, profile)
    assert step.state == "not_applicable" and not step.why[0].startswith("Reviewed again")
    review, step = surgical(case(70, decisions=[decided("referred_for_surgical_opinion")]), profile)
    assert step.state == "done" and step.why[0].startswith(f"Referred for a surgical opinion on {TODAY.isoformat()}")
