"""On its own date, a decision acknowledges only the red flags of records entered before it
(red-team rt12 F2).

The clinical expectation (README, "red flag reported again"; NICE NG59 / NICE CKS sciatica:
suspected cauda equina syndrome is an emergency referral whatever the review clock says): a
visit answering an emergency or urgent flag "yes" makes the case Immediate until a decision
is recorded AFTER it. A decision typed in the morning cannot have seen a visit typed in the
afternoon, whatever their dates. Records entered before the tracker kept the order (``entry``
None) keep the earlier reading among themselves: a same-date decision naming the flag stands.

Also the one-year limit on a new decision's ``until`` (rt12 F11).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.followup import (
    ReviewStatus,
    immediate_once_saved,
    review_facts,
    surgical_review,
)
from radiculopathy_desktop.domain.intake import (
    FollowUpVisit,
    ValidationError,
    case_to_dict,
    entered_after,
    entry_key,
    parse_case,
    parse_decision,
)
from radiculopathy_desktop.domain.settings import default_review_settings
from radiculopathy_desktop.domain.stored_case import case_from_stored, facts_timeline, stored_facts_as_of
from radiculopathy_desktop.resources import resource_path

CES = {"saddle_anaesthesia": "yes", "urinary_retention_or_incontinence": "yes"}
INTAKE = dt.date(2026, 11, 21)  # the example's intake (saddle anaesthesia, urinary retention: yes)
DAY = dt.date(2026, 11, 25)
AS_OF = dt.date(2026, 11, 30)


def ces_case(visit_entry, decision_entry, *, kind="resolved_discharged", visit_day=DAY, decision_day=DAY,
             answers=CES, named=True):
    data = json.loads(resource_path("examples", "emergency_cauda_equina.json").read_text())
    visit = {"date": visit_day.isoformat(), "leg_nrs": 8, "red_flags": answers}
    decision = {"date": decision_day.isoformat(), "kind": kind, "by": "Dr A"}
    if kind == "continue_conservative_care":
        decision["until"] = (decision_day + dt.timedelta(days=40)).isoformat()
    if named:
        decision["acknowledged_red_flags"] = ["bilateral_leg_symptoms", *sorted(CES)]
    if visit_entry is not None:
        visit["entry"] = visit_entry
    if decision_entry is not None:
        decision["entry"] = decision_entry
    data["visits"], data["decisions"] = [visit], [decision]
    return parse_case(data)


def status(case):
    return surgical_review(case, AS_OF).status


def agrees_everywhere(case):
    """The stored-case reader, the per-date facts history and the whole case agree."""
    s = default_review_settings()
    stored = json.loads(json.dumps(case_to_dict(case)))
    assert case_from_stored(stored) == case
    for day in (DAY, AS_OF):
        assert stored_facts_as_of(stored, day, s)[0] == review_facts(case, day, s)
        span = [p for p in facts_timeline(case, s) if p.start <= day and (p.until is None or day < p.until)][-1]
        assert span.facts == review_facts(case, day, s)


@pytest.mark.parametrize("kind, after", [("resolved_discharged", ReviewStatus.CLOSED),
                                         ("patient_declined", ReviewStatus.CLOSED),
                                         ("referred_for_surgical_opinion", ReviewStatus.CLOSED),
                                         ("continue_conservative_care", ReviewStatus.ASK_RED_FLAGS)])
def test_the_order_on_the_decisions_date_decides(kind, after):
    # the example leaves two cauda equina questions unanswered: with the flag acknowledged, a
    # continue decision shows "Ask red-flag questions" (the status rt12 F2 saw instead of Immediate)
    entered_later = ces_case(visit_entry=11, decision_entry=10, kind=kind)
    assert status(entered_later) == ReviewStatus.IMMEDIATE
    reason = surgical_review(entered_later, AS_OF).reason
    assert ("standing since 2026-11-25: reported at a visit entered after the decision of 2026-11-25; "
            "a new decision is needed") in reason
    entered_first = ces_case(visit_entry=10, decision_entry=11, kind=kind)
    assert status(entered_first) == after
    agrees_everywhere(entered_later)
    agrees_everywhere(entered_first)


def test_a_later_date_needs_a_later_decision_whatever_the_order():
    # boundary: the visit a day after the decision (entered before it: a back-dated decision
    # cannot see a later visit either)
    case = ces_case(visit_entry=10, decision_entry=11, visit_day=DAY + dt.timedelta(days=1))
    assert status(case) == ReviewStatus.IMMEDIATE
    # a visit dated the day before the decision but typed in after it: the decision cannot
    # have seen it either
    case = ces_case(visit_entry=11, decision_entry=10, visit_day=DAY - dt.timedelta(days=1))
    assert status(case) == ReviewStatus.IMMEDIATE
    # entered before it: the decision stands for it
    case = ces_case(visit_entry=10, decision_entry=11, visit_day=DAY - dt.timedelta(days=1))
    assert status(case) == ReviewStatus.CLOSED


@pytest.mark.parametrize("answers", [{}, {"saddle_anaesthesia": "no", "urinary_retention_or_incontinence": "no"}])
def test_a_same_day_visit_reporting_nothing_again_keeps_the_decision(answers):
    assert status(ces_case(visit_entry=11, decision_entry=10, answers=answers)) == ReviewStatus.CLOSED


@pytest.mark.parametrize("visit_entry, decision_entry, expected", [
    (None, None, ReviewStatus.CLOSED),      # order unknown: the earlier reading (the decision names them)
    (5, None, ReviewStatus.IMMEDIATE),      # the visit was entered after the tracker kept the order
    (None, 5, ReviewStatus.CLOSED),         # the decision was
])
def test_records_entered_before_the_order_was_kept(visit_entry, decision_entry, expected):
    case = ces_case(visit_entry, decision_entry)
    assert status(case) == expected
    agrees_everywhere(case)


def test_a_decision_stored_before_it_named_flags_still_never_stands_for_its_own_day():
    """rt7 R2 unchanged: such a decision acknowledges only flags raised on an earlier day."""
    assert status(ces_case(visit_entry=None, decision_entry=None, named=False)) == ReviewStatus.IMMEDIATE
    assert status(ces_case(visit_entry=10, decision_entry=11, named=False)) == ReviewStatus.IMMEDIATE


def test_entry_order_helpers():
    a, b, old = (FollowUpVisit(DAY, entry=3), FollowUpVisit(DAY, entry=4), FollowUpVisit(DAY))
    assert entered_after(b, a) is True and entered_after(a, b) is False
    assert entered_after(a, old) is True and entered_after(old, a) is False
    assert entered_after(old, FollowUpVisit(DAY)) is None
    assert sorted([b, old, a], key=entry_key) == [old, a, b]  # equal records: compared by entry below
    assert [v.entry for v in sorted([b, old, a], key=entry_key)] == [None, 3, 4]
    # the order is not part of what was recorded
    assert a == b and FollowUpVisit(DAY, leg_nrs=2, entry=1) != FollowUpVisit(DAY, leg_nrs=3, entry=1)


def test_same_date_visits_are_read_in_the_order_entered():
    """Two visits of one date: the later-entered one's answers stand."""
    data = json.loads(resource_path("examples", "emergency_cauda_equina.json").read_text())
    no = {"saddle_anaesthesia": "no", "urinary_retention_or_incontinence": "no", "bilateral_leg_symptoms": "no",
          "faecal_incontinence_or_loss_of_rectal_sensation": "no", "new_sexual_dysfunction": "no"}
    data["visits"] = [{"date": DAY.isoformat(), "leg_nrs": 3, "red_flags": no, "entry": 2},
                      {"date": DAY.isoformat(), "leg_nrs": 8, "red_flags": CES, "entry": 1}]
    case = parse_case(data)
    assert [v.entry for v in case.visits] == [1, 2]
    assert status(case) != ReviewStatus.IMMEDIATE  # the "no" answers were entered last


@pytest.mark.parametrize("value", [0, -1, 1.5, "3", True, 2 ** 53])
def test_an_entry_that_is_not_a_whole_number_from_1_is_refused(value):
    data = case_to_dict(ces_case(None, None))
    data["visits"][0]["entry"] = value
    with pytest.raises(ValidationError) as info:
        parse_case(data)
    assert "visits[0].entry" in str(info.value)


def test_the_case_json_round_trip_keeps_the_order():
    case = ces_case(visit_entry=11, decision_entry=10)
    data = case_to_dict(case)
    assert data["visits"][0]["entry"] == 11 and data["decisions"][0]["entry"] == 10
    again = parse_case(data)
    assert [(r.entry) for r in again.visits + again.decisions] == [11, 10]


def test_the_visit_dialog_is_told_the_case_will_be_immediate():
    decided = ces_case(None, 10)
    decided = dataclasses.replace(decided, visits=())
    assert status(decided) == ReviewStatus.CLOSED
    assert immediate_once_saved(decided, FollowUpVisit(DAY, red_flags={"saddle_anaesthesia": "yes"})) is True
    assert immediate_once_saved(decided, FollowUpVisit(DAY, red_flags={"saddle_anaesthesia": "no"})) is False
    assert immediate_once_saved(decided, FollowUpVisit(DAY)) is False


# --------------------------------------------------------------------------- rt12 F11
@pytest.mark.parametrize("days, refused", [(1, False), (365, False), (366, True), (3650, True)])
def test_a_new_decision_may_review_at_most_a_year_ahead(days, refused):
    case = ces_case(None, None)
    case = dataclasses.replace(case, decisions=())
    data = {"date": DAY.isoformat(), "kind": "continue_conservative_care",
            "until": (DAY + dt.timedelta(days=days)).isoformat()}
    if not refused:
        assert parse_decision(data, case).until == DAY + dt.timedelta(days=days)
        return
    with pytest.raises(ValidationError) as info:
        parse_decision(data, case)
    (error,) = info.value.errors
    assert error.field == "decision.until"
    assert "more than one year after the decision of 2026-11-25" in error.message
    assert "(latest 2027-11-25)" in error.message and "worklist" in error.message


def test_a_stored_decision_reviewing_further_ahead_is_still_read():
    """The limit guards typing; a record stored before it is not refused when read."""
    data = case_to_dict(ces_case(None, None, kind="continue_conservative_care"))
    data["decisions"][0]["until"] = "2036-11-01"
    assert parse_case(data).decisions[0].until == dt.date(2036, 11, 1)
