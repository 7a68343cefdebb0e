"""The first open of a tracker written before records kept their entry order (schema 6):
migration m007 gives the visits and decisions saved one by one since the case was last
imported their audit entry's id as their order, so a discharge and a same-day visit
reporting cauda equina again (rt12 F2) read Immediate at once; records whose order the
audit log cannot give keep none and are read as before (README, "red flag reported again").
SQLite only: the server keeps none for its existing records (storage/pg/schema.py m007)."""

from __future__ import annotations

import datetime as dt
import sqlite3

from radiculopathy_desktop.domain import followup
from radiculopathy_desktop.domain.intake import Decision, FollowUpVisit, case_to_dict, parse_case
from radiculopathy_desktop.domain.vocab import DecisionKind, ReviewStatus
from radiculopathy_desktop.storage import facts as facts_module
from radiculopathy_desktop.storage.schema import SCHEMA_VERSION
from radiculopathy_desktop.storage.store import CaseStore

from helpers.schema_v5 import make_version_6
from tracker_support import ANCHOR, case_dict

D = dt.timedelta
CES = {"saddle_anaesthesia": "yes", "urinary_retention_or_incontinence": "yes"}
INTAKE = ANCHOR - D(days=30)
DAY = ANCHOR - D(days=10)


def _discharge(on=DAY) -> Decision:
    return Decision(on, DecisionKind.RESOLVED_DISCHARGED, by="Dr A", acknowledged_red_flags=tuple(sorted(CES)))


def _statuses(store) -> dict:
    return {r.case_id: r.status for r in store.worklist(ANCHOR, statuses=list(ReviewStatus))}


def _as_version_6(data_dir, monkeypatch, build) -> None:
    """A tracker as the previous version left it: built under its rule (a decision of the
    visit's date acknowledged it whatever the order) and facts version, then set back to
    schema 6 (no entry order anywhere)."""
    with monkeypatch.context() as old:
        old.setattr(followup, "REVIEW_FACTS_VERSION", 7)
        old.setattr(facts_module, "REVIEW_FACTS_VERSION", 7)
        old.setattr(followup, "_entered_after_raising", lambda decision, since, raised_by: True)
        with CaseStore.open(data_dir) as store:
            build(store)
            path = store.path
    make_version_6(path)


def test_the_order_of_records_saved_one_by_one_comes_from_the_audit_log(data_dir, monkeypatch):
    def build(store):
        # decided, then the visit typed the same afternoon: the defect, as it was stored
        store.import_cases([parse_case(case_dict("A", care_start=INTAKE, red_flags=CES))], user="dr.a")
        store.record_decision("A", _discharge(), user="dr.a")
        store.add_visit("A", FollowUpVisit(date=DAY, leg_nrs=8, red_flags=CES), user="dr.b")
        # the other order: the visit first, then the decision made knowing it
        store.import_cases([parse_case(case_dict("B", care_start=INTAKE, red_flags=CES))], user="dr.a")
        store.add_visit("B", FollowUpVisit(date=DAY, leg_nrs=8, red_flags=CES), user="dr.b")
        store.record_decision("B", _discharge(), user="dr.a")
        assert _statuses(store) == {"A": ReviewStatus.CLOSED, "B": ReviewStatus.CLOSED}

    _as_version_6(data_dir, monkeypatch, build)
    with CaseStore.open(data_dir) as store:
        assert store._db.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert _statuses(store) == {"A": ReviewStatus.IMMEDIATE, "B": ReviewStatus.CLOSED}
        assert store.review("A", ANCHOR).status == ReviewStatus.IMMEDIATE
        a = store.get_case("A")
        assert a.decisions[0].entry < a.visits[0].entry
        # the rows carry the same order as the case's record
        rows = store._db.conn.execute("SELECT entry FROM visits WHERE case_id = 'A' AND is_baseline = 0").fetchall()
        assert rows == [(a.visits[0].entry,)]
        assert store._db.conn.execute("SELECT entry FROM decisions WHERE case_id = 'A'").fetchall() == \
            [(a.decisions[0].entry,)]
        # and a record saved now comes after all of them
        store.add_visit("A", FollowUpVisit(date=DAY, leg_nrs=7), user="dr.b")
        assert max(v.entry for v in store.get_case("A").visits) > a.visits[0].entry


def test_records_whose_order_is_unknown_are_read_as_before(data_dir, monkeypatch):
    """Both records came in one import file: the audit log does not say which was entered
    first, so the decision of that date still stands for the visit (the earlier rule), as
    README says; a record saved after the upgrade is after them both."""
    visit = {"date": DAY.isoformat(), "leg_nrs": 8, "red_flags": CES}
    decision = {"date": DAY.isoformat(), "kind": "resolved_discharged", "by": "Dr A",
                "acknowledged_red_flags": sorted(CES)}

    def build(store):
        store.import_cases([parse_case(case_dict("C", care_start=INTAKE, red_flags=CES, visits=[visit],
                                                 decisions=[decision]))], user="dr.a")
        # a decision typed, then the case imported again: the decision's order is unknown too
        store.import_cases([parse_case(case_dict("E", care_start=INTAKE, red_flags=CES))], user="dr.a")
        store.record_decision("E", _discharge(), user="dr.a")
        store.import_cases([parse_case(case_to_dict(store.get_case("E")) | {"notes": "re-imported"})], user="dr.a")

    _as_version_6(data_dir, monkeypatch, build)
    with CaseStore.open(data_dir) as store:
        assert _statuses(store) == {"C": ReviewStatus.CLOSED, "E": ReviewStatus.CLOSED}
        c, e = store.get_case("C"), store.get_case("E")
        assert c.visits[0].entry is None and c.decisions[0].entry is None and e.decisions[0].entry is None
        # a visit reporting CES again, saved now on the decision's date: after it
        store.add_visit("E", FollowUpVisit(date=DAY, leg_nrs=8, red_flags=CES), user="dr.b")
        assert store.review("E", ANCHOR).status == ReviewStatus.IMMEDIATE
        assert _statuses(store)["E"] == ReviewStatus.IMMEDIATE


def test_the_counter_starts_after_every_audit_entry(data_dir, db_path, monkeypatch):
    def build(store):
        store.import_cases([parse_case(case_dict("F", care_start=INTAKE))], user="dr.a")
        store.add_visit("F", FollowUpVisit(date=DAY, leg_nrs=6), user="dr.b")

    _as_version_6(data_dir, monkeypatch, build)
    with CaseStore.open(data_dir) as store:
        # every audit entry the migration numbered entries from (win23's one "derived data
        # recomputed" entry is written after the migration, by the recompute, and numbers no record)
        last_audit = store._db.conn.execute(
            "SELECT max(id) FROM audit WHERE action != 'derived_data_recomputed'").fetchone()[0]
        store.add_visit("F", FollowUpVisit(date=DAY + D(days=1), leg_nrs=5), user="dr.b")
        assert store.get_case("F").visits[-1].entry > last_audit
    # one counter row, left at the last number given
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT count(*), max(last) FROM entry_counter").fetchone() == (1, last_audit + 1)
    finally:
        conn.close()
