"""A red flag reported again at a visit entered AFTER a decision of the same date needs a
decision entered after it (red-team rt12 F2). README, "red flag reported again": a visit
answering an emergency/urgent flag "yes" makes the case Immediate until a decision is
recorded after it; records carry the order in which they were entered, so "after" holds on
the decision's own date too. A patient seen and discharged in the morning who comes back the
same afternoon with saddle anaesthesia is a new emergency, not the one the discharge
acknowledged. Both engines (the ``store`` fixture).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.followup import standing_red_flags
from radiculopathy_desktop.domain.intake import Decision, FollowUpVisit, case_to_dict, parse_case
from radiculopathy_desktop.domain.vocab import DecisionKind, ReviewStatus
from radiculopathy_desktop.errors import UserError

from tracker_support import ANCHOR, case_dict

D = dt.timedelta
STORE_ENGINES = ("sqlite", "postgresql")
CES = {"saddle_anaesthesia": "yes", "urinary_retention_or_incontinence": "yes"}
INTAKE = ANCHOR - D(days=30)
DAY = ANCHOR - D(days=10)  # the decision's date, and the same-day visit's
CLOSING = [DecisionKind.RESOLVED_DISCHARGED, DecisionKind.PATIENT_DECLINED, DecisionKind.CONTINUE_CONSERVATIVE_CARE,
           DecisionKind.REFERRED_FOR_SURGICAL_OPINION]
AFTER_DECISION = {DecisionKind.RESOLVED_DISCHARGED: ReviewStatus.CLOSED,
                  DecisionKind.PATIENT_DECLINED: ReviewStatus.CLOSED,
                  DecisionKind.REFERRED_FOR_SURGICAL_OPINION: ReviewStatus.CLOSED,
                  DecisionKind.CONTINUE_CONSERVATIVE_CARE: ReviewStatus.SNOOZED}


def _ces_case(store, case_id: str = "CES-1"):
    store.import_cases([parse_case(case_dict(case_id, care_start=INTAKE, red_flags=CES))], user="dr.a")
    assert store.review(case_id, ANCHOR).status == ReviewStatus.IMMEDIATE


def _decision(store, kind: DecisionKind, on: dt.date, case_id: str = "CES-1") -> Decision:
    """The decision as ``decide`` records it: naming the red flags standing on its date."""
    standing = standing_red_flags(store.get_case(case_id), on)
    until = on + D(days=40) if kind == DecisionKind.CONTINUE_CONSERVATIVE_CARE else None
    return Decision(on, kind, until, by="Dr A", acknowledged_red_flags=standing.flags if standing else ())


def _decide(store, kind: DecisionKind, on: dt.date, case_id: str = "CES-1"):
    store.record_decision(case_id, _decision(store, kind, on, case_id), user="dr.a")


def _statuses(store, day=ANCHOR) -> dict:
    return {r.case_id: r.status for r in store.worklist(day, statuses=list(ReviewStatus))}


def _same_everywhere(store, case_id: str, status: ReviewStatus):
    """The case view, the worklist (stored facts) and the worklist as of a past date agree."""
    assert store.review(case_id, ANCHOR).status == status
    assert _statuses(store)[case_id] == status
    assert _statuses(store, ANCHOR - D(days=1))[case_id] == status


@pytest.mark.parametrize("kind", CLOSING)
def test_same_day_decision_then_visit_reporting_the_flag_again_is_immediate(store, kind):
    _ces_case(store)
    _decide(store, kind, DAY)
    _same_everywhere(store, "CES-1", AFTER_DECISION[kind])
    store.add_visit("CES-1", FollowUpVisit(date=DAY, leg_nrs=8, red_flags=CES), user="dr.b")
    review = store.review("CES-1", ANCHOR)
    assert review.status == ReviewStatus.IMMEDIATE
    assert "cauda equina" in review.reason and f"entered after the decision of {DAY.isoformat()}" in review.reason
    _same_everywhere(store, "CES-1", ReviewStatus.IMMEDIATE)
    # a decision entered after the new report, naming the flags, stands for it (same date too)
    _decide(store, kind, DAY)
    _same_everywhere(store, "CES-1", AFTER_DECISION[kind])


@pytest.mark.parametrize("kind", CLOSING)
def test_same_day_visit_then_decision_is_acknowledged_by_it(store, kind):
    """The visit was typed first: the decision was made knowing it (as before)."""
    _ces_case(store)
    store.add_visit("CES-1", FollowUpVisit(date=DAY, leg_nrs=8, red_flags=CES), user="dr.b")
    assert store.review("CES-1", ANCHOR).status == ReviewStatus.IMMEDIATE
    _decide(store, kind, DAY)
    _same_everywhere(store, "CES-1", AFTER_DECISION[kind])


def test_a_visit_the_next_day_is_immediate_as_before(store):
    _ces_case(store)
    _decide(store, DecisionKind.RESOLVED_DISCHARGED, DAY)
    store.add_visit("CES-1", FollowUpVisit(date=DAY + D(days=1), leg_nrs=8, red_flags=CES), user="dr.b")
    _same_everywhere(store, "CES-1", ReviewStatus.IMMEDIATE)


def test_a_visit_typed_in_after_the_decision_with_an_earlier_date_is_immediate(store):
    """The decision cannot have seen a visit entered after it, whatever its date."""
    _ces_case(store)
    _decide(store, DecisionKind.RESOLVED_DISCHARGED, DAY)
    store.add_visit("CES-1", FollowUpVisit(date=DAY - D(days=1), leg_nrs=8, red_flags=CES), user="dr.b")
    _same_everywhere(store, "CES-1", ReviewStatus.IMMEDIATE)


@pytest.mark.parametrize("answers", [{}, {"saddle_anaesthesia": "no", "urinary_retention_or_incontinence": "no"},
                                     {"fever": "no"}])
def test_a_same_day_visit_that_does_not_report_the_flag_again_keeps_the_decision(store, answers):
    _ces_case(store)
    _decide(store, DecisionKind.RESOLVED_DISCHARGED, DAY)
    store.add_visit("CES-1", FollowUpVisit(date=DAY, leg_nrs=3, red_flags=answers), user="dr.b")
    _same_everywhere(store, "CES-1", ReviewStatus.CLOSED)


def test_continue_until_is_not_snoozed_by_the_earlier_decision(store):
    """rt12 F2's "continue" variant: it read "Ask red-flag questions" (the two CES questions
    not asked at the visit), not Immediate."""
    store.import_cases([parse_case(case_dict("CES-2", care_start=INTAKE, red_flags={
        "saddle_anaesthesia": "yes", "urinary_retention_or_incontinence": "yes",
        "faecal_incontinence_or_loss_of_rectal_sensation": "unknown", "new_sexual_dysfunction": "unknown"}))],
        user="dr.a")
    _decide(store, DecisionKind.CONTINUE_CONSERVATIVE_CARE, DAY, case_id="CES-2")
    store.add_visit("CES-2", FollowUpVisit(date=DAY, leg_nrs=8, red_flags=CES), user="dr.b")
    _same_everywhere(store, "CES-2", ReviewStatus.IMMEDIATE)


def test_every_record_gets_a_larger_entry_order_than_the_one_before(store):
    _ces_case(store)
    _decide(store, DecisionKind.RESOLVED_DISCHARGED, DAY)
    store.add_visit("CES-1", FollowUpVisit(date=DAY, leg_nrs=8, red_flags=CES), user="dr.b")
    store.add_visit("CES-1", FollowUpVisit(date=DAY - D(days=3), leg_nrs=7), user="dr.b")  # back-dated
    case = store.get_case("CES-1")
    decision = case.decisions[0]
    same_day, back_dated = [v for v in case.visits if v.date == DAY][0], [v for v in case.visits if v.date < DAY][0]
    assert decision.entry < same_day.entry < back_dated.entry
    # the case JSON (``case --format json``, export) carries them
    data = case_to_dict(case)
    assert [v["entry"] for v in data["visits"]] == [back_dated.entry, same_day.entry]
    assert data["decisions"][0]["entry"] == decision.entry


def _imported_over(store, data: dict):
    return store.import_cases([parse_case(data)], user="import", acknowledge_red_flags=True)


def test_a_visit_imported_after_a_stored_decision_of_its_date_is_entered_after_it(store):
    """rt12 F2 by import: the case's own JSON with a visit added on the decision's date."""
    _ces_case(store)
    _decide(store, DecisionKind.RESOLVED_DISCHARGED, DAY)
    data = case_to_dict(store.get_case("CES-1"))
    data["visits"] = [{"date": DAY.isoformat(), "leg_nrs": 8, "red_flags": CES}]
    result = _imported_over(store, data)
    assert result.updated == ("CES-1",)
    _same_everywhere(store, "CES-1", ReviewStatus.IMMEDIATE)
    case = store.get_case("CES-1")
    assert case.visits[0].entry > case.decisions[0].entry


def test_re_importing_the_exported_case_changes_nothing(store):
    """The round trip keeps the order (the JSON carries it) and adds nothing."""
    _ces_case(store)
    store.add_visit("CES-1", FollowUpVisit(date=DAY, leg_nrs=8, red_flags=CES), user="dr.b")
    _decide(store, DecisionKind.RESOLVED_DISCHARGED, DAY)
    before = store.get_case("CES-1")
    data = case_to_dict(before)
    assert _imported_over(store, data).unchanged == ("CES-1",)
    # the same file without the orders (an older export) holds the same records: unchanged too
    for item in data["visits"] + data["decisions"]:
        del item["entry"]
    assert _imported_over(store, data).unchanged == ("CES-1",)
    _same_everywhere(store, "CES-1", ReviewStatus.CLOSED)


def _new_case_file(order: dict | None = None) -> dict:
    """A new case whose file holds a closing decision and a visit reporting CES again, both on DAY."""
    visit = {"date": DAY.isoformat(), "leg_nrs": 8, "red_flags": CES}
    decision = {"date": DAY.isoformat(), "kind": "resolved_discharged", "by": "Dr A",
                "acknowledged_red_flags": sorted(CES)}
    if order:
        visit["entry"], decision["entry"] = order["visit"], order["decision"]
    return case_dict("CES-F", care_start=INTAKE, red_flags=CES, visits=[visit], decisions=[decision])


def test_a_file_with_a_same_day_decision_and_visit_in_unknown_order_never_hides_the_flag(store):
    """The order is not known: read the way that never hides a re-reported flag."""
    _imported_over(store, _new_case_file())
    _same_everywhere(store, "CES-F", ReviewStatus.IMMEDIATE)
    case = store.get_case("CES-F")
    assert case.decisions[0].entry < case.visits[0].entry
    _decide(store, DecisionKind.RESOLVED_DISCHARGED, DAY, case_id="CES-F")  # recorded after the import
    _same_everywhere(store, "CES-F", ReviewStatus.CLOSED)


def test_a_file_decision_naming_a_flag_only_its_same_day_visit_raised_was_made_after_it(store):
    """Order unknown, but the decision names a flag that stood only from the visit of its
    date (none at the intake): it was recorded knowing that visit."""
    visit = {"date": DAY.isoformat(), "leg_nrs": 8, "red_flags": CES}
    decision = {"date": DAY.isoformat(), "kind": "resolved_discharged", "by": "Dr A",
                "acknowledged_red_flags": sorted(CES)}
    _imported_over(store, case_dict("NEW-F", care_start=INTAKE, visits=[visit], decisions=[decision]))
    _same_everywhere(store, "NEW-F", ReviewStatus.CLOSED)
    case = store.get_case("NEW-F")
    assert case.visits[0].entry < case.decisions[0].entry


@pytest.mark.parametrize("order, status", [({"visit": 1, "decision": 2}, ReviewStatus.CLOSED),
                                           ({"visit": 2, "decision": 1}, ReviewStatus.IMMEDIATE),
                                           ({"visit": 70001, "decision": 90000}, ReviewStatus.CLOSED)])
def test_a_file_giving_the_order_is_imported_in_that_order(store, order, status):
    _imported_over(store, _new_case_file(order))
    _same_everywhere(store, "CES-F", status)
    case = store.get_case("CES-F")
    # renumbered from the tracker's own sequence, in the file's order
    assert (case.visits[0].entry < case.decisions[0].entry) is (order["visit"] < order["decision"])


def test_records_the_file_gives_no_order_come_before_those_it_orders(store):
    """A copy of a tracker whose older records have no order (server migrate-from of an
    upgraded file): the ordered ones keep their order, after the others."""
    data = _new_case_file({"visit": 7, "decision": 9})
    data["visits"].append({"date": (DAY - D(days=5)).isoformat(), "leg_nrs": 7})  # no order
    _imported_over(store, data)
    _same_everywhere(store, "CES-F", ReviewStatus.CLOSED)  # the decision was entered after the CES visit
    case = store.get_case("CES-F")
    old, ces = case.visits
    assert old.entry < ces.entry < case.decisions[0].entry


def test_a_new_record_is_entered_after_the_stored_ones_whatever_order_the_file_gives(store):
    _ces_case(store)
    _decide(store, DecisionKind.RESOLVED_DISCHARGED, DAY)
    stored = store.get_case("CES-1").decisions[0].entry
    data = case_to_dict(store.get_case("CES-1"))
    data["visits"] = [{"date": DAY.isoformat(), "leg_nrs": 8, "red_flags": CES, "entry": 1}]
    _imported_over(store, data)
    assert store.get_case("CES-1").visits[0].entry > stored
    _same_everywhere(store, "CES-1", ReviewStatus.IMMEDIATE)


def test_an_entry_order_that_is_not_a_whole_number_is_refused(store):
    data = _new_case_file({"visit": "first", "decision": 2})
    with pytest.raises(Exception) as info:
        _imported_over(store, data)
    assert "visits[0].entry" in str(info.value)


@pytest.mark.parametrize("until_days, refused", [(365, False), (366, True), (3650, True)])
def test_an_imported_decision_reviewing_more_than_a_year_ahead_is_refused(store, until_days, refused):
    """rt12 F11 by import: the same limit as ``decide`` (a typing guard: one year)."""
    data = case_dict("U-1", care_start=INTAKE, decisions=[
        {"date": DAY.isoformat(), "kind": "continue_conservative_care", "by": "Dr A",
         "until": (DAY + D(days=until_days)).isoformat(), "acknowledged_red_flags": []}])
    if refused:
        with pytest.raises(UserError) as info:
            _imported_over(store, data)
        assert "more than one year after the decision" in str(info.value) and "U-1" in str(info.value)
        assert not store.has_case("U-1")
    else:
        _imported_over(store, data)
        assert store.get_case("U-1").decisions[0].until == DAY + D(days=365)


def test_a_stored_decision_reviewing_further_ahead_still_opens_and_takes_visits(store, monkeypatch):
    """The limit is for new decisions: one stored before it (re-imported unchanged) is kept."""
    from radiculopathy_desktop.storage import engine_common

    far = {"date": DAY.isoformat(), "kind": "continue_conservative_care", "by": "Dr A",
           "until": (DAY + D(days=3650)).isoformat(), "acknowledged_red_flags": []}
    with monkeypatch.context() as earlier:  # stored by an earlier version, which had no limit
        earlier.setattr(engine_common, "check_new_decision", lambda case_id, decision: None)
        _imported_over(store, case_dict("U-2", care_start=INTAKE, decisions=[far]))
    assert _imported_over(store, json.loads(json.dumps(case_to_dict(store.get_case("U-2"))))).unchanged == ("U-2",)
    store.add_visit("U-2", FollowUpVisit(date=DAY + D(days=2), leg_nrs=5), user="dr.b")
    assert len(store.get_case("U-2").visits) == 1
