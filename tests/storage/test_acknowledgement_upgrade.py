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
        old.setattr(followup, "acknowledges", lambda decision, fired, since: True)
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
    visits = [{"date": day, "leg_nrs": 7, "red_flags": ces}]
    paused = make_case("A1", visits=visits, decisions=[
        {"date": day, "kind": "continue_conservative_care", "until": ANCHOR + dt.timedelta(days=30),
         "acknowledged_red_flags": named}])
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
