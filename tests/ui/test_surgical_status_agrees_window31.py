"""window31 (GP tryout): the case's status said "Due: decide about a surgical opinion" while its
stepped-care page said "Surgical opinion: Later", and after a referral was recorded the page still
said Later. The surgical-opinion step now follows the review status (domain.assess
.surgical_step_follows_review): due or overdue, the step is "Now", led by the status's own reason;
a referral recorded, the step is done and says the referral and its date, as the status does.
Driven by keys, offscreen; and on the assessment for both guideline profiles, with boundaries."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from radiculopathy_desktop.domain.assess import SURGICAL_STEP, assess_case
from radiculopathy_desktop.domain.intake import parse_case

from .conftest import TODAY, case_dict, seed_cases
from .window_steps import record_referral_by_keys


def _surgical_line(window) -> str:
    """The stepped-care page's surgical-opinion step as read: its title and its state's word."""
    text = window.patient_view.pathway.toPlainText()
    at = text.index("Surgical opinion")
    return re.sub(r"\s+", " ", text[max(at - 40, 0): at + 400])


def _step(case: dict, profile: str = "us", as_of: dt.date = TODAY):
    a = assess_case(parse_case(case), as_of, profile)
    return a.surgical_review, next(s for s in a.pathway.steps if s.id == SURGICAL_STEP)


def test_due_case_page_says_now_then_a_recorded_referral_is_said_by_both(window, qtbot, context):
    window.open_case("P-DUE-case")
    assert "Due" in window.patient_view.status.text()
    line = _surgical_line(window)
    assert "Later" not in line and "Review due now" in line and "decide about a surgical opinion" in line
    record_referral_by_keys(window, qtbot, "P-DUE-case")
    qtbot.waitUntil(lambda: "referred" in window.patient_view.status.text().lower())
    status = window.patient_view.status.text()
    assert "Due" not in status
    qtbot.waitUntil(lambda: "Referred for a surgical opinion on " + TODAY.isoformat() in _surgical_line(window))
    line = _surgical_line(window)
    assert "Later" not in line and "Review due" not in line


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("days, status, state", [
    (41, "upcoming", "later"),  # before the window: the ladder's own state stands
    (42, "due", "current"),     # the window's first day (default 6-12 weeks)
    (84, "due", "current"),     # its last day
    (85, "overdue", "current"),
])
def test_the_step_follows_the_review_window(profile, days, status, state):
    case = case_dict("P-W", "Wendy Window", days, visits=[{"date": (TODAY - dt.timedelta(days=2)).isoformat(),
                                                            "leg_nrs": 7, "back_nrs": 4, "odi_percent": 44}])
    review, step = _step(case, profile)
    assert review.status.value == status
    assert step.state == state
    if state == "current":
        assert step.why[0].startswith(f"Review {status} now: ") and review.reason in step.why[0]


def test_continue_care_then_referral_and_red_flags():
    base = seed_cases()[0]  # P-DUE: day 70, not improving
    day = TODAY.isoformat()
    snoozed = dict(base, decisions=[{"date": day, "kind": "continue_conservative_care",
                                     "until": (TODAY + dt.timedelta(days=28)).isoformat()}])
    review, step = _step(snoozed)
    assert review.status.value == "snoozed" and step.state == "later"  # not due: the ladder's state
    referred = dict(base, decisions=[{"date": day, "kind": "referred_for_surgical_opinion"}])
    review, step = _step(referred)
    assert review.status.value == "closed" and "referred" in review.reason.lower()
    assert step.state == "done" and step.why[0] == f"Referred for a surgical opinion on {day} (decision recorded)"
    # pathstep31 (H-PATH-905): any further reason is only the "no MRI on record" note
    assert all(w.startswith("No MRI is on record") for w in step.why[1:])
    # the referral is dated: the day before it, the case is still due and the step says so
    review, step = _step(referred, as_of=TODAY - dt.timedelta(days=1))
    assert review.status.value == "due" and step.state == "current"
    red = seed_cases()[4]  # red flag: the red-flag route overrides every step
    review, step = _step(red)
    assert review.status.value == "immediate" and step.state == "not_applicable"
