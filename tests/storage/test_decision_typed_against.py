"""A decision acknowledges only what the clinician could see when they typed it (red-team
rt14 F8). A decision typed while the clinic server could not be reached is saved later (the
window's kept copy, replayed): a visit entered meanwhile by another workstation or the command
line that reports a red flag again was not seen, so the decision, although saved after that
visit, does not acknowledge it and the case stays Immediate. The decision carries what it was
typed against (``Decision.typed_against``: the largest entry order of the case as shown).
Both engines (the ``store`` fixture).

The rule itself is the tracker's (README, follow-up tracker): "a decision acknowledges the red
flags it names, those standing when it was recorded, and not a flag reported at a visit entered
after it"; typed earlier than saved, "entered after it" is after it was typed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from radiculopathy_desktop.domain.followup import surgical_review, unseen_reports
from radiculopathy_desktop.domain.intake import Decision, FollowUpVisit, case_to_dict, last_entry, parse_case
from radiculopathy_desktop.domain.vocab import DecisionKind, ReviewStatus

from tracker_support import ANCHOR, make_case

STORE_ENGINES = ("sqlite", "postgresql")
CES = "saddle_anaesthesia"
DAY = ANCHOR - dt.timedelta(days=2)


def _status(store, case_id: str) -> set:
    """The case's status by its review and by its worklist row (the stored facts)."""
    rows = [r for r in store.worklist(ANCHOR, statuses=list(ReviewStatus)) if r.case_id == case_id]
    return {store.review(case_id, ANCHOR).status, rows[0].status}


def _typed_decision(store, case_id: str) -> Decision:
    """A discharge typed on the case as it is shown now, acknowledging the flags standing."""
    case = store.get_case(case_id)
    return Decision(DAY, DecisionKind.PATIENT_DECLINED, acknowledged_red_flags=(CES,),
                    typed_against=last_entry(case))


def _immediate_case(store, case_id: str = "TA-1") -> None:
    store.import_cases([make_case(case_id, red_flags={CES: "yes"})], user="setup")
    store.add_visit(case_id, FollowUpVisit(DAY - dt.timedelta(days=3), leg_nrs=6), user="dr.a")


def test_a_red_flag_reported_again_after_the_decision_was_typed_keeps_the_case_immediate(store):
    _immediate_case(store)
    decision = _typed_decision(store, "TA-1")  # typed while the server was away
    store.add_visit("TA-1", FollowUpVisit(DAY, red_flags={CES: "yes"}), user="dr.b")  # another workstation
    store.record_decision("TA-1", decision, user="dr.a", write_key="k" * 32)  # saved later
    case = store.get_case("TA-1")
    (saved,) = case.decisions
    assert saved.acknowledged_red_flags == (CES,) and saved.typed_against == decision.typed_against
    assert saved.entry > case.visits[-1].entry  # saved after the visit, yet it did not see it
    assert _status(store, "TA-1") == {ReviewStatus.IMMEDIATE}
    assert [(v.date, flags) for v, flags in unseen_reports(case, saved, ANCHOR)] == [(DAY, (CES,))]
    assert "typed_against" in case_to_dict(case)["decisions"][0]
    # sent again with its write key: already saved, nothing more written
    again = store.record_decision("TA-1", decision, user="dr.a", write_key="k" * 32)
    assert again.already_saved and len(store.get_case("TA-1").decisions) == 1


def test_a_visit_the_clinician_saw_when_typing_is_acknowledged(store):
    """The boundary: the visit is the last record the decision was typed against (entry ==
    typed_against): seen, so the decision naming its flag acknowledges it."""
    _immediate_case(store)
    store.add_visit("TA-1", FollowUpVisit(DAY, red_flags={CES: "yes"}), user="dr.b")
    decision = _typed_decision(store, "TA-1")
    assert decision.typed_against == store.get_case("TA-1").visits[-1].entry
    store.record_decision("TA-1", decision, user="dr.a")
    case = store.get_case("TA-1")
    assert _status(store, "TA-1") == {ReviewStatus.CLOSED}
    assert unseen_reports(case, case.decisions[0], ANCHOR) == ()
    assert case.decisions[0].typed_against is None  # nothing entered since: the entry order says it all
    assert "typed_against" not in case_to_dict(case)["decisions"][0]


def test_typed_one_record_before_the_red_flag_visit_is_not_acknowledged(store):
    """Just below the boundary: typed against the entry before the visit's."""
    _immediate_case(store)
    store.add_visit("TA-1", FollowUpVisit(DAY, red_flags={CES: "yes"}), user="dr.b")
    visit_entry = store.get_case("TA-1").visits[-1].entry
    decision = dataclasses.replace(_typed_decision(store, "TA-1"), typed_against=visit_entry - 1)
    store.record_decision("TA-1", decision, user="dr.a")
    assert _status(store, "TA-1") == {ReviewStatus.IMMEDIATE}


def test_a_visit_entered_meanwhile_that_reports_no_red_flag_does_not_stop_the_decision(store):
    """Scores alone entered meanwhile: nothing was reported that the decision did not see."""
    _immediate_case(store)
    decision = _typed_decision(store, "TA-1")
    store.add_visit("TA-1", FollowUpVisit(DAY, leg_nrs=5), user="dr.b")
    store.record_decision("TA-1", decision, user="dr.a")
    case = store.get_case("TA-1")
    assert _status(store, "TA-1") == {ReviewStatus.CLOSED}
    assert unseen_reports(case, case.decisions[0], ANCHOR) == ()


def test_a_decision_saved_at_once_acknowledges_what_stood_as_before(store):
    """Without what it was typed against (the command line's ``decide``, read and saved at once)
    the entry order alone decides, as before: saved after the visit, it stands for it."""
    _immediate_case(store)
    store.add_visit("TA-1", FollowUpVisit(DAY, red_flags={CES: "yes"}), user="dr.b")
    store.record_decision("TA-1", Decision(DAY, DecisionKind.PATIENT_DECLINED, acknowledged_red_flags=(CES,)),
                          user="dr.a")
    assert _status(store, "TA-1") == {ReviewStatus.CLOSED}


def test_a_new_decision_after_seeing_the_report_acknowledges_it(store):
    _immediate_case(store)
    decision = _typed_decision(store, "TA-1")
    store.add_visit("TA-1", FollowUpVisit(DAY, red_flags={CES: "yes"}), user="dr.b")
    store.record_decision("TA-1", decision, user="dr.a")
    assert _status(store, "TA-1") == {ReviewStatus.IMMEDIATE}
    store.record_decision("TA-1", _typed_decision(store, "TA-1"), user="dr.a")  # typed on the case as it is
    assert _status(store, "TA-1") == {ReviewStatus.CLOSED}


def test_what_a_decision_was_typed_against_survives_an_export_and_re_import(store):
    _immediate_case(store)
    decision = _typed_decision(store, "TA-1")
    store.add_visit("TA-1", FollowUpVisit(DAY, red_flags={CES: "yes"}), user="dr.b")
    store.record_decision("TA-1", decision, user="dr.a")
    exported = case_to_dict(store.get_case("TA-1"))
    result = store.import_cases([parse_case(exported)], user="dr.c")
    assert "TA-1" in result.unchanged + result.updated
    assert store.get_case("TA-1").decisions[0].typed_against == decision.typed_against
    assert _status(store, "TA-1") == {ReviewStatus.IMMEDIATE}


@pytest.mark.parametrize("value", [-1, 1.5, "3", True])
def test_a_file_giving_typed_against_that_is_not_a_whole_number_from_0_is_refused(value):
    from radiculopathy_desktop.domain.intake import ValidationError

    data = case_to_dict(make_case("TA-2"))
    data["decisions"] = [{"date": DAY.isoformat(), "kind": "referred_for_surgical_opinion",
                          "acknowledged_red_flags": [], "typed_against": value}]
    with pytest.raises(ValidationError) as refused:
        parse_case(data)
    assert any(e.field == "decisions[0].typed_against" for e in refused.value.errors)


def test_typed_against_must_be_before_the_decision_was_saved():
    from radiculopathy_desktop.domain.intake import ValidationError

    data = case_to_dict(make_case("TA-2"))
    item = {"date": DAY.isoformat(), "kind": "referred_for_surgical_opinion", "acknowledged_red_flags": []}
    data["decisions"] = [{**item, "entry": 5, "typed_against": 4}]
    assert parse_case(data).decisions[0].typed_against == 4
    data["decisions"] = [{**item, "entry": 5, "typed_against": 5}]
    with pytest.raises(ValidationError):
        parse_case(data)
    # the review of the case alone, without the store: the same rule
    case = parse_case({**case_to_dict(make_case("TA-3", red_flags={CES: "yes"})),
                       "visits": [{"date": DAY.isoformat(), "red_flags": {CES: "yes"}, "entry": 3}],
                       "decisions": [{"date": DAY.isoformat(), "kind": "patient_declined",
                                      "acknowledged_red_flags": [CES], "entry": 4, "typed_against": 2}]})
    assert surgical_review(case, ANCHOR).status == ReviewStatus.IMMEDIATE


def test_a_file_numbered_by_another_tracker_keeps_what_its_decision_did_not_see(store):
    """A case imported from another tracker's export: its entry numbers are that tracker's, and
    this one renumbers them. The decision typed against the file's record 11 saw the intake
    visit numbered 11, not the re-report numbered 12 (entered after it was typed, saved before
    it): renumbered, it still has not seen that re-report, so the case is Immediate."""
    data = case_to_dict(make_case("TA-9", red_flags={CES: "yes"}))
    data["visits"] = [{"date": (DAY - dt.timedelta(days=3)).isoformat(), "leg_nrs": 6, "entry": 11},
                      {"date": DAY.isoformat(), "red_flags": {CES: "yes"}, "entry": 12}]
    data["decisions"] = [{"date": DAY.isoformat(), "kind": "patient_declined", "acknowledged_red_flags": [CES],
                          "entry": 13, "typed_against": 11}]
    store.import_cases([make_case("TA-0")], user="setup")  # this tracker's own numbers come first
    store.record_decision("TA-0", Decision(DAY, DecisionKind.REFERRED_FOR_SURGICAL_OPINION,
                                           acknowledged_red_flags=()), user="dr.a")
    store.import_cases([parse_case(data)], user="dr.c", acknowledge_red_flags=True)
    case = store.get_case("TA-9")
    first, again = case.visits
    (decision,) = case.decisions
    assert first.entry < again.entry < decision.entry  # the file's order, in this tracker's numbers
    assert first.entry <= decision.typed_against < again.entry
    assert _status(store, "TA-9") == {ReviewStatus.IMMEDIATE}
    # the same file saying the decision was typed after the re-report: it saw it
    data["case_id"], data["patient"]["id"] = "TA-8", "P-TA-8"
    data["decisions"][0]["typed_against"] = 12
    store.import_cases([parse_case(data)], user="dr.c", acknowledge_red_flags=True)
    assert _status(store, "TA-8") == {ReviewStatus.CLOSED}
