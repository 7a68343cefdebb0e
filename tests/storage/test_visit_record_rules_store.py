"""Both engines (the ``store`` fixture): a visit recording nothing is refused by the store
itself, nothing written (rt13 F7); the unanswered cauda equina questions a clinician
confirmed closing over are kept in the decision's audit entry (rt13 F3)."""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.intake import Decision, FollowUpVisit, ValidationError, parse_case
from radiculopathy_desktop.domain.visits import unanswered_to_confirm
from radiculopathy_desktop.domain.vocab import DecisionKind, ReviewStatus

from tracker_support import ANCHOR, case_dict

STORE_ENGINES = ("sqlite", "postgresql")
INTAKE = ANCHOR - dt.timedelta(days=50)


def test_the_store_refuses_a_visit_recording_nothing(store):
    store.import_cases([parse_case(case_dict("E-1", care_start=INTAKE))], user="dr.a")
    before = store.review("E-1", ANCHOR)
    assert before.status == ReviewStatus.NEEDS_FOLLOW_UP
    audit = len(store.audit("E-1"))
    with pytest.raises(ValidationError):
        store.add_visit("E-1", FollowUpVisit(ANCHOR, clinician="Dr A"), user="dr.a")
    assert store.get_case("E-1").visits == ()
    assert len(store.audit("E-1")) == audit
    assert store.review("E-1", ANCHOR).status == ReviewStatus.NEEDS_FOLLOW_UP
    store.add_visit("E-1", FollowUpVisit(ANCHOR, notes="Seen, no change"), user="dr.a")  # a note is a record
    assert len(store.get_case("E-1").visits) == 1


def test_the_confirmed_unanswered_questions_are_audited_with_the_decision(store):
    store.import_cases([parse_case(case_dict("U-1", care_start=INTAKE, red_flags={"saddle_anaesthesia": "unknown"}))],
                       user="dr.a")
    case = store.get_case("U-1")
    unanswered = unanswered_to_confirm(case, DecisionKind.RESOLVED_DISCHARGED, ANCHOR)
    assert unanswered == ("saddle_anaesthesia",)
    store.record_decision("U-1", Decision(ANCHOR, DecisionKind.RESOLVED_DISCHARGED, by="Dr A",
                                          acknowledged_red_flags=()), user="dr.a", unanswered_confirmed=unanswered)
    entry = [a for a in store.audit("U-1") if a.action == "decision_recorded"][-1]
    assert entry.detail["closed_with_unanswered_red_flags"] == ["saddle_anaesthesia"]
    assert store.review("U-1", ANCHOR).status == ReviewStatus.CLOSED
    # a decision with nothing to confirm carries no such entry
    store.import_cases([parse_case(case_dict("U-2", care_start=INTAKE))], user="dr.a")
    store.record_decision("U-2", Decision(ANCHOR, DecisionKind.RESOLVED_DISCHARGED, acknowledged_red_flags=()),
                          user="dr.a")
    entry = [a for a in store.audit("U-2") if a.action == "decision_recorded"][-1]
    assert "closed_with_unanswered_red_flags" not in entry.detail
