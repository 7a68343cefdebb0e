"""A red flag answered "yes" again at a visit after a decision acknowledged it needs a new
decision (red-team rt11 F1). README: a visit with a yes makes the case Immediate "until a
decision is recorded after it"; cauda equina symptoms reported again after a discharge are
a new emergency, not the one the discharge acknowledged. Both engines (the ``store`` fixture).

The visit form leaves a question not asked again at "Not asked" (nothing recorded), so only
an explicit "yes" at the visit counts as reported again; an answer carried forward does not.
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.followup import standing_red_flags
from radiculopathy_desktop.domain.intake import Decision, FollowUpVisit, parse_case
from radiculopathy_desktop.domain.vocab import DecisionKind, ReviewStatus

from tracker_support import ANCHOR, case_dict

D = dt.timedelta
STORE_ENGINES = ("sqlite", "postgresql")
CES = {"saddle_anaesthesia": "yes", "urinary_retention_or_incontinence": "yes"}
INTAKE = ANCHOR - D(days=30)


def _ces_case(store, case_id: str = "CES-1"):
    store.import_cases([parse_case(case_dict(case_id, care_start=INTAKE, red_flags=CES))], user="dr.a")
    assert store.review(case_id, ANCHOR).status == ReviewStatus.IMMEDIATE


def _decide(store, kind: DecisionKind, on: dt.date, case_id: str = "CES-1"):
    standing = standing_red_flags(store.get_case(case_id), on)
    until = on + D(days=40) if kind == DecisionKind.CONTINUE_CONSERVATIVE_CARE else None
    store.record_decision(case_id, Decision(on, kind, until, by="Dr A",
                                            acknowledged_red_flags=standing.flags if standing else ()), user="dr.a")


@pytest.mark.parametrize("kind", [DecisionKind.RESOLVED_DISCHARGED, DecisionKind.PATIENT_DECLINED,
                                  DecisionKind.CONTINUE_CONSERVATIVE_CARE])
def test_cauda_equina_reported_again_after_a_decision_is_immediate(store, kind):
    _ces_case(store)
    decided = ANCHOR - D(days=10)
    _decide(store, kind, decided)
    assert store.review("CES-1", ANCHOR).status != ReviewStatus.IMMEDIATE
    store.add_visit("CES-1", FollowUpVisit(date=ANCHOR - D(days=5), leg_nrs=8, red_flags=CES), user="dr.b")
    review = store.review("CES-1", ANCHOR)
    assert review.status == ReviewStatus.IMMEDIATE
    assert "cauda equina" in review.reason
    # the worklist says the same as the case
    rows = {r.case_id: r.status for r in store.worklist(ANCHOR, statuses=list(ReviewStatus))}
    assert rows["CES-1"] == ReviewStatus.IMMEDIATE
    # a decision after the new report, naming the flags, stands for it
    _decide(store, kind, ANCHOR - D(days=4))
    assert store.review("CES-1", ANCHOR).status != ReviewStatus.IMMEDIATE


def test_one_flag_of_the_two_reported_again_is_enough(store):
    _ces_case(store)
    _decide(store, DecisionKind.RESOLVED_DISCHARGED, ANCHOR - D(days=10))
    store.add_visit("CES-1", FollowUpVisit(date=ANCHOR - D(days=5), leg_nrs=8,
                                           red_flags={"saddle_anaesthesia": "yes"}), user="dr.b")
    assert store.review("CES-1", ANCHOR).status == ReviewStatus.IMMEDIATE


@pytest.mark.parametrize("answers", [{}, {"saddle_anaesthesia": "no", "urinary_retention_or_incontinence": "no"},
                                     {"fever": "no"}])
def test_a_visit_that_does_not_report_the_flag_again_keeps_the_decision(store, answers):
    """Not asked again (carried forward), answered no, or other questions only: nothing new."""
    _ces_case(store)
    _decide(store, DecisionKind.RESOLVED_DISCHARGED, ANCHOR - D(days=10))
    store.add_visit("CES-1", FollowUpVisit(date=ANCHOR - D(days=5), leg_nrs=3, red_flags=answers), user="dr.b")
    assert store.review("CES-1", ANCHOR).status == ReviewStatus.CLOSED


def test_a_report_dated_before_the_decision_is_the_one_it_acknowledged(store):
    """The boundary: a visit answering yes on a day before the decision was known to it."""
    _ces_case(store)
    store.add_visit("CES-1", FollowUpVisit(date=ANCHOR - D(days=12), leg_nrs=8, red_flags=CES), user="dr.b")
    _decide(store, DecisionKind.RESOLVED_DISCHARGED, ANCHOR - D(days=10))
    assert store.review("CES-1", ANCHOR).status == ReviewStatus.CLOSED


def test_fever_reported_again_after_continue_is_immediate(store):
    data = case_dict("FEV-1", care_start=INTAKE,
                     visits=[{"date": INTAKE + D(days=5), "leg_nrs": 7, "red_flags": {"fever": "yes"}}])
    store.import_cases([parse_case(data)], user="dr.a")
    assert store.review("FEV-1", ANCHOR).status == ReviewStatus.IMMEDIATE
    _decide(store, DecisionKind.CONTINUE_CONSERVATIVE_CARE, INTAKE + D(days=8), case_id="FEV-1")
    assert store.review("FEV-1", ANCHOR).status == ReviewStatus.SNOOZED
    store.add_visit("FEV-1", FollowUpVisit(date=INTAKE + D(days=15), leg_nrs=7, red_flags={"fever": "yes"}),
                    user="dr.b")
    assert store.review("FEV-1", ANCHOR).status == ReviewStatus.IMMEDIATE


@pytest.mark.parametrize("grades, immediate", [({"ankle_dorsiflexion": 1}, True),          # weaker, <= 3
                                               ({"great_toe_extension": 2}, True),         # a new muscle at 2
                                               ({"ankle_dorsiflexion": 3}, False),         # the same grade
                                               ({"ankle_dorsiflexion": 4}, False)])        # better
def test_a_muscle_graded_weaker_after_a_continue_decision_is_reported_anew(store, grades, immediate):
    """rt12 F10: foot drop getting worse (MRC 3 -> 1, or another muscle at 2) after a decision
    to continue is a new finding; the same or a better grade is not (MRC <= 3 is the severe
    motor deficit of the rule table)."""
    store.import_cases([parse_case(case_dict("MRC-1", care_start=INTAKE,
                                             power={"ankle_dorsiflexion": 3, "great_toe_extension": 5}))],
                       user="dr.a")
    assert store.review("MRC-1", ANCHOR).status == ReviewStatus.IMMEDIATE
    _decide(store, DecisionKind.CONTINUE_CONSERVATIVE_CARE, INTAKE + D(days=2), case_id="MRC-1")
    assert store.review("MRC-1", ANCHOR).status == ReviewStatus.SNOOZED
    store.add_visit("MRC-1", FollowUpVisit(date=INTAKE + D(days=10), leg_nrs=7, power=grades), user="dr.b")
    assert (store.review("MRC-1", ANCHOR).status == ReviewStatus.IMMEDIATE) is immediate


@pytest.mark.parametrize("question, answers_before, immediate", [
    ("history_of_cancer", "yes", False),          # the same history confirmed: not a report
    ("immunosuppression", "yes", False),
    ("history_of_cancer", "no", True),            # boundary: newly answered yes is new
    ("fever", "yes", True),                       # a symptom answered yes again is new (rt11 F1)
])
def test_a_history_question_confirmed_again_is_not_a_new_report(store, question, answers_before, immediate):
    """rt13 F9: a history of cancer (with leg pain: suspected spinal metastases, urgent) answered
    "yes" again at every re-screen made the case Immediate again after every decision. A
    history or a lasting state confirmed is what the decision saw; a symptom (fever) or a
    history newly answered yes is a report that needs a new decision."""
    flags = {question: answers_before}
    visits = [] if answers_before == "yes" else [{"date": INTAKE + D(days=3), "leg_nrs": 7, "red_flags": {"fever": "yes"}}]
    store.import_cases([parse_case(case_dict("HX-1", care_start=INTAKE, red_flags=flags, visits=visits))], user="dr.a")
    assert store.review("HX-1", ANCHOR).status == ReviewStatus.IMMEDIATE
    _decide(store, DecisionKind.CONTINUE_CONSERVATIVE_CARE, INTAKE + D(days=5), case_id="HX-1")
    assert store.review("HX-1", ANCHOR).status == ReviewStatus.SNOOZED
    store.add_visit("HX-1", FollowUpVisit(date=INTAKE + D(days=12), leg_nrs=7, red_flags={question: "yes"}),
                    user="dr.b")
    assert (store.review("HX-1", ANCHOR).status == ReviewStatus.IMMEDIATE) is immediate
