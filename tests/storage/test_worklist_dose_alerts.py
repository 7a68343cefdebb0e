"""The worklist shows "Reduce dose" for a stored case whose current dose is above this
patient's maximum (issue 12 section 3), and an upgraded database is brought up to date
once (stale review facts rewritten, dose alerts filled).

Boundaries from the gabapentin label's renal table (Neurontin, Dosage and
Administration 2.4): CrCl 15-29 mL/min -> 200-700 mg/day; CrCl >= 60 -> up to 3600
mg/day. A dose at the maximum is not marked; one milligram above it is.
"""

from __future__ import annotations

import csv
import json
import sqlite3

import pytest

from radiculopathy_desktop.domain.followup import ReviewStatus
from radiculopathy_desktop.storage.schema import MIGRATIONS_TABLE
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage.store import DERIVED_VERSION_KEY, CaseStore
from tracker_support import ANCHOR, case_dict

ALL = list(ReviewStatus)
#: One suite, two engines (tests/storage/conftest.py): tests using ``store`` also run on the clinic server.
STORE_ENGINES = ("sqlite", "postgresql")


def _med_case(case_id: str, dose: float | None, egfr: float = 20, name: str = "gabapentin", **kw):
    d = case_dict(case_id, **kw)
    d["conditions"] = {"egfr": egfr}
    d["medicines"] = [{"name": name, "daily_dose_mg": dose}]
    return parse_case(d)


def _alerts(store, case_id, profile="us"):
    rows = store.worklist(ANCHOR, statuses=ALL, profile=profile)
    return next(r for r in rows if r.case_id == case_id).dose_alerts


@pytest.mark.parametrize("dose, egfr, marked", [
    (700, 20, False),   # at the CrCl 15-29 maximum
    (701, 20, True),    # just above it
    (3600, 60, False),  # at the label maximum, no renal adjustment
    (3601, 60, True),   # above the label maximum
    (1400, 59.9, False),  # CrCl 30-59 band: 400-1400 mg/day, 1400 is its maximum
    (1401, 59.9, True),
])
def test_reduce_dose_is_marked_on_the_worklist_at_the_boundary(store, dose, egfr, marked):
    store.import_cases([_med_case("M", dose, egfr)])
    alerts = _alerts(store, "M")
    assert bool(alerts) is marked
    if marked:
        assert f"{dose:g} mg/day" in alerts[0] and "gabapentin" in alerts[0]
        limit = {20: "700", 59.9: "1400", 60: "3600"}[egfr]
        assert f"max {limit} mg/day" in alerts[0]


def test_no_dose_recorded_is_not_marked(store):
    store.import_cases([_med_case("N", None)])
    assert _alerts(store, "N") == ()


def test_ibuprofen_maximum_follows_the_profile(store):
    # BNF adult maximum 2.4 g/day (uk profile); the US prescription label allows 3.2 g/day.
    store.import_cases([_med_case("I", 3000, egfr=90, name="ibuprofen")])
    assert _alerts(store, "I", "uk")
    assert _alerts(store, "I", "us") == ()


def test_a_saved_visit_keeps_and_a_reimport_clears_the_mark(store):
    store.import_cases([_med_case("V", 1000)])
    assert _alerts(store, "V")
    from radiculopathy_desktop.domain.intake import FollowUpVisit

    store.add_visit("V", FollowUpVisit(date=ANCHOR, leg_nrs=5), user="t")
    assert _alerts(store, "V")
    # the dose was reduced, in a file made before the visit: replacing the visit is asked for
    store.import_cases([_med_case("V", 600)], replace_records=True)
    assert _alerts(store, "V") == ()


@pytest.mark.sqlite_only("the tracker commands open the local file (data_dir)")
def test_cli_table_json_and_csv_show_reduce_dose(store, run_cli):
    store.import_cases([_med_case("HIGH", 3600), _med_case("OK", 600)])
    code, out, _ = run_cli("worklist", "--status", "all")
    assert code == 0
    line = next(l for l in out.splitlines() if l.split()[1:2] == ["HIGH"] or " HIGH " in l)
    assert "REDUCE DOSE" in line
    assert "REDUCE DOSE" not in next(l for l in out.splitlines() if " OK " in l and "Invented" in l)
    assert "Reduce dose (1 of the cases listed" in out
    assert "HIGH: gabapentin 3600 mg/day > max 700 mg/day" in out
    code, out, _ = run_cli("worklist", "--status", "all", "--format", "json")
    rows = {r["case_id"]: r for r in json.loads(out)["rows"]}
    assert rows["HIGH"]["dose_alerts"] == ["gabapentin 3600 mg/day > max 700 mg/day"]
    assert rows["OK"]["dose_alerts"] == []
    code, out, _ = run_cli("worklist", "--status", "all", "--format", "csv")
    header, *lines = out.splitlines()
    # wl17 added medicine_alerts and pregnancy after dose_alerts (columns are only added at the end)
    assert header.endswith(",dose_alerts,medicine_alerts,pregnancy,would_not_consider_surgery")  # path34: added last
    cells = next(csv.reader([next(l for l in lines if ",HIGH," in l)]))
    assert cells[-4] == "gabapentin 3600 mg/day > max 700 mg/day"
    assert cells[-3].startswith("Reduce dose: gabapentin.") and cells[-2] == "" and cells[-1] == "false"


def _make_old(path, store):
    """Turn the database into what the previous version left: review facts stamped with an
    older rule version, no medicine_alerts table, migration m003 not applied."""
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE cases SET facts_key = 'old-version', improving = NULL, trend_rank = 1")
    conn.execute("DROP TABLE medicine_alerts")
    conn.execute(f"DELETE FROM {MIGRATIONS_TABLE} WHERE name = 'm003_medicine_alerts'")
    conn.execute("DELETE FROM settings WHERE key = ?", (DERIVED_VERSION_KEY,))
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()


def test_an_old_database_is_brought_up_to_date_once(data_dir, db_path, monkeypatch):
    store = CaseStore.open(data_dir)
    store.import_cases([_med_case("OLD", 3600), _med_case("FINE", 300)])
    _make_old(db_path, store)

    store = CaseStore.open(data_dir)
    try:
        conn = store._db.conn
        key = conn.execute("SELECT DISTINCT facts_key FROM cases").fetchall()
        assert len(key) == 1 and key[0][0] != "old-version"
        assert conn.execute("SELECT trend_rank FROM cases WHERE case_id = 'OLD'").fetchone()[0] == 1  # no follow-up
        assert _alerts(store, "OLD") and _alerts(store, "FINE") == ()
    finally:
        store.close()

    calls = []
    monkeypatch.setattr(CaseStore, "upgrade_derived_data", lambda self: calls.append(1) or (0, 0))
    CaseStore.open(data_dir).close()
    assert calls == []  # not on every start-up


def test_the_upgrade_waits_for_a_busy_database_and_tries_again(data_dir, db_path, caplog):
    caplog.set_level("INFO")
    store = CaseStore.open(data_dir)
    store.import_cases([_med_case("OLD", 3600)])
    _make_old(db_path, store)
    # Another program holds the write lock while this one opens: the open still works
    # (the worklist stays right by the exact path), the upgrade is left for next time.
    store = CaseStore.open(data_dir)  # the migration itself
    store._db.conn.execute("DELETE FROM settings WHERE key = ?", (DERIVED_VERSION_KEY,))
    store._db.conn.execute("UPDATE cases SET facts_key = 'old-version'")
    store._db.conn.commit() if store._db.conn.in_transaction else None
    store.close()
    blocker = sqlite3.connect(db_path, timeout=0)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        store = CaseStore.open(data_dir, busy_timeout_ms=50)
        assert store._db.conn.execute("SELECT facts_key FROM cases").fetchone()[0] == "old-version"
        assert [r.case_id for r in store.worklist(ANCHOR, statuses=ALL)] == ["OLD"]
        store.close()
        assert [r.levelname for r in caplog.records if "not refreshed" in r.getMessage()] == ["INFO"]
    finally:
        blocker.rollback()
        blocker.close()
    store = CaseStore.open(data_dir)
    try:
        assert store._db.conn.execute("SELECT facts_key FROM cases").fetchone()[0] != "old-version"
        assert _alerts(store, "OLD")
    finally:
        store.close()


@pytest.mark.sqlite_only("the tracker commands open the local file (data_dir)")
def test_reduce_dose_filter_lists_only_those_cases(store, run_cli):
    store.import_cases([_med_case("HIGH", 3600), _med_case("OK", 600), _med_case("HIGH2", 800)])
    code, out, _ = run_cli("worklist", "--status", "all", "--reduce-dose", "--format", "json")
    assert code == 0
    assert sorted(r["case_id"] for r in json.loads(out)["rows"]) == ["HIGH", "HIGH2"]
    code, out, _ = run_cli("worklist", "--status", "all", "--reduce-dose", "--limit", "1", "--format", "json")
    assert len(json.loads(out)["rows"]) == 1


def test_under_uk_an_avoided_gabapentinoid_is_still_checked_against_the_renal_maximum(store):
    # NICE does not offer gabapentinoids (avoid under uk); the mark names the 700 mg/day
    # renal maximum, never the 3600 mg/day label maximum.
    store.import_cases([_med_case("UK", 701)])
    assert _alerts(store, "UK", "uk") == ("gabapentin 701 mg/day > max 700 mg/day",)
    assert _alerts(store, "UK", "us") == ("gabapentin 701 mg/day > max 700 mg/day",)


def test_a_long_worklist_reads_the_profiles_alerts_without_sending_every_case_id(store, monkeypatch):
    """The clinic server matches a long list's rows to the profile's alerts in one read
    (instead of sending tens of thousands of case IDs): the same marks as a short page."""
    cases = [_med_case("A", 701), _med_case("B", 700), _med_case("C", 3000, egfr=90, name="ibuprofen")]
    store.import_cases(cases)
    short = {r.case_id: r.dose_alerts for r in store.worklist(ANCHOR, statuses=ALL, profile="uk")}
    if store.engine == "postgresql":
        from radiculopathy_desktop.storage.pg import worklist as pgwl

        monkeypatch.setattr(pgwl, "_ALERTS_BY_ID_MAX", 1)
    long = {r.case_id: r.dose_alerts for r in store.worklist(ANCHOR, statuses=ALL, profile="uk")}
    assert long == short
    assert bool(long["A"]) and long["B"] == () and bool(long["C"])
    assert {r.case_id: r.dose_alerts for r in store.worklist(ANCHOR, statuses=ALL, profile="us")}["C"] == ()


@pytest.mark.sqlite_only("the SQLite worklist's two ways of reading the stored alerts")
def test_many_rows_read_the_alerts_in_one_pass_with_the_same_result(store, monkeypatch):
    """From ``_ALERTS_SCAN_FROM`` rows on, the worklist reads the profile's alerts in one pass
    instead of one lookup per case: every row gets the same alerts either way (cases with
    and without alerts, both profiles)."""
    from radiculopathy_desktop.storage import worklist as wl

    store.import_cases([_med_case("HIGH1", 3601, 60), _med_case("HIGH2", 701, 20), _med_case("OK", 700, 20),
                        _med_case("NONE", None), parse_case(case_dict("PLAIN"))])
    for profile in ("us", "uk"):
        monkeypatch.setattr(wl, "_ALERTS_SCAN_FROM", 10_000)
        by_lookup = [(r.case_id, r.dose_alerts) for r in store.worklist(ANCHOR, statuses=ALL, profile=profile)]
        monkeypatch.setattr(wl, "_ALERTS_SCAN_FROM", 0)
        by_scan = [(r.case_id, r.dose_alerts) for r in store.worklist(ANCHOR, statuses=ALL, profile=profile)]
        assert by_scan == by_lookup
        assert dict(by_scan)["HIGH1"] and dict(by_scan)["HIGH2"] and not dict(by_scan)["OK"]
        assert len(by_scan) == 5
