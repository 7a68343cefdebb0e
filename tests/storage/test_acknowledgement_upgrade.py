"""Review facts stored under the old acknowledgement rule (any decision dated on or after a red
flag acknowledged it: red-team rt6 F1) are rewritten on the first open by this version, so a
case that was wrongly Snoozed is Immediate on the worklist at once (REVIEW_FACTS_VERSION 4)."""

from __future__ import annotations

import datetime as dt

from radiculopathy_desktop.domain import followup
from radiculopathy_desktop.domain.intake import Decision, FollowUpVisit
from radiculopathy_desktop.domain.vocab import DecisionKind, ReviewStatus
from radiculopathy_desktop.storage import facts as facts_module
from radiculopathy_desktop.storage.store import CaseStore

from tracker_support import ANCHOR, make_case

D = dt.timedelta
STORE_ENGINES = ("sqlite", "postgresql")


def _statuses(store) -> dict:
    return {r.case_id: r.status for r in store.worklist(ANCHOR, statuses=list(ReviewStatus))}


def test_facts_stored_by_the_old_rule_are_recomputed_on_the_next_open(data_dir, monkeypatch):
    # what the previous version stored: the date rule, under facts version 3
    with monkeypatch.context() as old:
        old.setattr(followup, "REVIEW_FACTS_VERSION", 3)
        old.setattr(facts_module, "REVIEW_FACTS_VERSION", 3)
        old.setattr(followup, "acknowledges", lambda decision, fired, since, raised_by=None: True)
        store = CaseStore.open(data_dir)
        store.import_cases([make_case("F1", care_start=ANCHOR - D(days=60))])
        store.record_decision("F1", Decision(ANCHOR, DecisionKind.CONTINUE_CONSERVATIVE_CARE, ANCHOR + D(days=40)),
                              user="dr.a")
        store.add_visit("F1", FollowUpVisit(date=ANCHOR, leg_nrs=7, red_flags={"saddle_anaesthesia": "yes"}),
                        user="dr.a")
        assert _statuses(store) == {"F1": ReviewStatus.SNOOZED}  # the defect, as it was stored
        old_key = store._db.conn.execute("SELECT facts_key FROM cases").fetchone()[0]
        store.close()

    store = CaseStore.open(data_dir)
    try:
        assert store._db.conn.execute("SELECT facts_key FROM cases").fetchone()[0] != old_key
        assert store._db.conn.execute("SELECT immediate FROM cases").fetchone()[0] == 1
        assert _statuses(store) == {"F1": ReviewStatus.IMMEDIATE}
        assert store.status_counts(ANCHOR)[ReviewStatus.IMMEDIATE] == 1
        # as of a past date too (the facts history was rebuilt)
        assert _statuses_on(store, ANCHOR + D(days=1)) == {"F1": ReviewStatus.IMMEDIATE}
    finally:
        store.close()


def _statuses_on(store, day) -> dict:
    return {r.case_id: r.status for r in store.worklist(day, statuses=list(ReviewStatus))}


def test_a_reimport_without_the_field_keeps_the_acknowledgement_the_tracker_recorded(store):
    """Red-team rt7 R1: a case file written without ``acknowledged_red_flags`` (an older
    export, a hand-made file) re-imported over a case whose decision this version recorded
    naming no flags must not turn that decision into an old-style one that acknowledges by
    date: the cauda equina flag raised after it the same day stays Immediate, on both engines,
    with and without --replace-records."""
    from radiculopathy_desktop.domain.intake import case_to_dict, parse_case

    store.import_cases([make_case("R1", care_start=ANCHOR - D(days=60))])
    store.record_decision("R1", Decision(ANCHOR, DecisionKind.CONTINUE_CONSERVATIVE_CARE, ANCHOR + D(days=40)),
                          user="dr.a")
    store.add_visit("R1", FollowUpVisit(date=ANCHOR, leg_nrs=7, red_flags={"saddle_anaesthesia": "yes",
                                                                        "urinary_retention_or_incontinence": "yes"}),
                    user="dr.a")
    assert _statuses(store) == {"R1": ReviewStatus.IMMEDIATE}
    recorded = store.get_case("R1").decisions[-1].acknowledged_red_flags
    assert recorded == ()
    data = case_to_dict(store.get_case("R1"))
    del data["decisions"][-1]["acknowledged_red_flags"]
    for replace in (False, True):
        result = store.import_cases([parse_case(data)], replace_records=replace)
        assert result.unchanged == ("R1",)  # the same case as recorded: nothing to write
        assert store.get_case("R1").decisions[-1].acknowledged_red_flags == ()
        assert _statuses(store) == {"R1": ReviewStatus.IMMEDIATE}
    # a file whose decision differs in another field is not given the recorded list
    data["decisions"][-1]["note"] = "changed in the file"
    store.import_cases([parse_case(data)], replace_records=True)
    assert store.get_case("R1").decisions[-1].acknowledged_red_flags is None


def test_an_import_of_a_new_decision_acknowledging_red_flags_is_audited_or_refused(store):
    """rt7 R6, both engines: a decision new to the tracker that closes or pauses a case while
    naming red flags is listed in the import's audit entry and ``ImportResult.acknowledged``;
    ``acknowledge_red_flags=False`` (the command line without the option) refuses the whole
    import. A referral naming flags, a decision naming none, and one the tracker holds
    already are not listed."""
    import pytest

    from radiculopathy_desktop.errors import UserError

    day = ANCHOR - dt.timedelta(days=9)
    ces = {"saddle_anaesthesia": "yes", "urinary_retention_or_incontinence": "yes"}
    named = ["saddle_anaesthesia", "urinary_retention_or_incontinence"]
    # the file says the decision was entered after the visit (a decision and a visit of one
    # date in unknown order are read the way that never hides the flag: rt12 F2)
    visits = [{"date": day, "leg_nrs": 7, "red_flags": ces, "entry": 1}]
    paused = make_case("A1", visits=visits, decisions=[
        {"date": day, "kind": "continue_conservative_care", "until": ANCHOR + dt.timedelta(days=30),
         "acknowledged_red_flags": named, "entry": 2}])
    others = [make_case("A2", visits=visits, decisions=[
                  {"date": day, "kind": "referred_for_surgical_opinion", "acknowledged_red_flags": named}]),
              make_case("A3", visits=visits, decisions=[
                  {"date": day, "kind": "patient_declined", "acknowledged_red_flags": []}])]
    with pytest.raises(UserError) as refused:
        store.import_cases([*others, paused], user="it", acknowledge_red_flags=False)
    assert refused.value.exit_code == 2 and "case A1, " + day.isoformat() in refused.value.message
    assert not store.has_case("A1") and not store.has_case("A2")  # all or nothing
    result = store.import_cases([*others, paused], user="it")
    assert result.acknowledged == ({"case_id": "A1", "date": day.isoformat(), "kind": "continue_conservative_care",
                                    "flags": named},)
    entry = [e for e in store.audit() if e.action == "import"][-1]
    assert entry.detail["acknowledged_red_flags"] == list(result.acknowledged) and entry.user == "it"
    assert store.review("A1", ANCHOR).status == ReviewStatus.SNOOZED
    # the same cases again (a re-import of the tracker's own export): nothing new acknowledged
    again = store.import_cases([*others, paused], user="it", acknowledge_red_flags=False)
    assert again.acknowledged == () and set(again.unchanged) == {"A1", "A2", "A3"}


def test_a_new_decision_leaving_the_field_out_goes_through_the_acknowledgement_gate(store):
    """Red-team rt9 F7, both engines. A decision NEW to the tracker whose file leaves
    ``acknowledged_red_flags`` out (the ``import`` command: ``legacy_decisions=False``) was
    read as one recorded before the field existed, which acknowledges every flag raised
    before its date: a cauda equina case was closed with no word. It now names the red flags
    standing on its date, as ``decide`` records it: refused without ``acknowledge_red_flags``
    (each flag named, nothing imported), recorded and audited with it. A decision for which
    no flag stands is imported naming none; one the tracker holds without the field (recorded
    before it existed) is left as it is."""
    import pytest

    from radiculopathy_desktop.errors import UserError

    flagged = ANCHOR - D(days=9)
    ces = {"saddle_anaesthesia": "yes", "urinary_retention_or_incontinence": "yes"}
    standing = ["saddle_anaesthesia", "urinary_retention_or_incontinence"]
    visits = [{"date": flagged, "leg_nrs": 7, "red_flags": ces}]
    store.import_cases([make_case("F7", visits=visits), make_case("QUIET")])
    assert _statuses(store)["F7"] == ReviewStatus.IMMEDIATE
    closed = make_case("F7", visits=visits, decisions=[
        {"date": flagged + D(days=2), "kind": "resolved_discharged", "by": "Dr X"}])
    assert closed.decisions[0].acknowledged_red_flags is None  # the field is left out
    quiet = make_case("QUIET", decisions=[{"date": ANCHOR - D(days=1), "kind": "patient_declined"}])

    with pytest.raises(UserError) as refused:
        store.import_cases([quiet, closed], user="it", acknowledge_red_flags=False, legacy_decisions=False)
    message = refused.value.message
    assert refused.value.exit_code == 2 and message.startswith("import: nothing was imported: ")
    assert f"case F7, {(flagged + D(days=2)).isoformat()}, Resolved" in message
    assert "Saddle (perineal) numbness" in message and "Urinary retention" in message
    assert "leaves acknowledged_red_flags out" in message and "--acknowledge-red-flags" in message
    assert "QUIET" not in message  # nothing stands for it: not a refusal
    assert store.get_case("F7").decisions == () and store.get_case("QUIET").decisions == ()  # all or nothing
    assert _statuses(store)["F7"] == ReviewStatus.IMMEDIATE

    # --replace-records (a pause instead of a close) goes through the same gate
    paused = make_case("F7", visits=visits, decisions=[
        {"date": flagged + D(days=1), "kind": "continue_conservative_care", "until": ANCHOR + D(days=30)}])
    with pytest.raises(UserError) as refused:
        store.import_cases([paused], acknowledge_red_flags=False, legacy_decisions=False, replace_records=True)
    assert "case F7" in refused.value.message and "Continue conservative care" in refused.value.message
    assert store.get_case("F7").decisions == ()

    # with the option: exactly the flags standing are recorded, listed and audited
    result = store.import_cases([quiet, closed], user="it", acknowledge_red_flags=True, legacy_decisions=False)
    assert result.acknowledged == ({"case_id": "F7", "date": (flagged + D(days=2)).isoformat(),
                                    "kind": "resolved_discharged", "flags": standing, "field_left_out": True},)
    assert store.get_case("F7").decisions[0].acknowledged_red_flags == tuple(standing)
    assert store.get_case("QUIET").decisions[0].acknowledged_red_flags == ()  # none stand: names none
    entry = [e for e in store.audit() if e.action == "import"][-1]
    assert entry.detail["acknowledged_red_flags"] == list(result.acknowledged)
    # the same file again: the tracker holds those decisions, nothing to acknowledge or write
    again = store.import_cases([quiet, closed], acknowledge_red_flags=False, legacy_decisions=False)
    assert again.acknowledged == () and set(again.unchanged) == {"F7", "QUIET"}


def test_a_decision_held_without_the_field_may_be_reimported_without_it(store):
    """rt9 F7, the legacy case: a decision the tracker holds as recorded before the field
    existed (a copy of its own records) re-imported unchanged by the ``import`` command is
    still accepted and left as it is, with and without --replace-records; the same decision
    with another note is new, and goes through the gate."""
    import pytest

    from radiculopathy_desktop.errors import UserError

    flagged = ANCHOR - D(days=9)
    visits = [{"date": flagged, "leg_nrs": 7, "red_flags": {"saddle_anaesthesia": "yes"}}]
    old = make_case("L1", visits=visits, decisions=[
        {"date": flagged + D(days=1), "kind": "continue_conservative_care", "until": ANCHOR + D(days=30)}])
    store.import_cases([old])  # as the version before the field stored it (legacy_decisions)
    assert store.get_case("L1").decisions[0].acknowledged_red_flags is None
    before = _statuses(store)["L1"]
    for replace in (False, True):
        result = store.import_cases([old], acknowledge_red_flags=False, legacy_decisions=False,
                                    replace_records=replace)
        assert result.unchanged == ("L1",) and result.acknowledged == ()
        assert store.get_case("L1").decisions[0].acknowledged_red_flags is None
    assert _statuses(store)["L1"] == before
    edited = make_case("L1", visits=visits, decisions=[
        {"date": flagged + D(days=1), "kind": "continue_conservative_care", "until": ANCHOR + D(days=30),
         "note": "typed again"}])
    with pytest.raises(UserError) as refused:
        store.import_cases([edited], acknowledge_red_flags=False, legacy_decisions=False, replace_records=True)
    assert "case L1" in refused.value.message and "Saddle (perineal) numbness" in refused.value.message
    assert store.get_case("L1").decisions[0].note is None


def test_a_new_referral_leaving_the_field_out_names_the_flags_standing_like_decide(store):
    """rt9 F7: a referral acts on the red flag, so ``decide`` records it without the option,
    naming the flags standing; an imported one that leaves the field out is recorded the same way."""
    flagged = ANCHOR - D(days=9)
    visits = [{"date": flagged, "leg_nrs": 7, "red_flags": {"saddle_anaesthesia": "yes"}}]
    store.import_cases([make_case("R9", visits=visits, decisions=[
        {"date": flagged, "kind": "referred_for_surgical_opinion"}])],
        acknowledge_red_flags=False, legacy_decisions=False)
    assert store.get_case("R9").decisions[0].acknowledged_red_flags == ("saddle_anaesthesia",)
