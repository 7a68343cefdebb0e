"""The status counts: counted by index ranges, equal to counting the rule row by row.

``test_worklist_property.py`` checks counts against the engine for generated cases;
these tests pin the parts of the counting that generated cases do not reach (values
outside the 0/1 flags, decision kinds outside the vocabulary) and that the queries
the window runs at start-up walk indexes instead of scanning every case.
"""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from radiculopathy_desktop.domain.followup import STATUS_ORDER, ReviewStatus
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage import worklist as wl
from radiculopathy_desktop.storage.store import CaseStore, facts_key

from tracker_support import ANCHOR, make_case

D = dt.timedelta
#: One suite, two engines (tests/storage/conftest.py): tests using ``store`` also run on the clinic server.
STORE_ENGINES = ("sqlite", "postgresql")


def _row_by_row(store: CaseStore, as_of: dt.date, settings=None) -> dict:
    s = settings or store.get_settings()
    key = facts_key(s)
    exact = wl._prepare_exact(store, as_of, s, key)
    return wl._counts_row_by_row(store, wl._params(as_of, s) | {"facts_key": key}, exact)


@pytest.fixture
def cohort(tmp_path):
    from radiculopathy_desktop.demo import generate_case_dicts

    with CaseStore.open(tmp_path / "db") as store:
        store.import_cases([parse_case(d) for d in generate_case_dicts(400, seed=5, as_of=ANCHOR)])
        yield store


def test_counts_equal_row_by_row_on_many_dates_and_settings(cohort):
    other = cohort.get_settings().updated({"window_start_day": 35, "window_end_day": 70, "upcoming_lead_days": 0,
                                           "resolved_leg_nrs_max": 1})
    for offset in (-120, -30, -1, 0, 1, 13, 14, 42, 365):
        as_of = ANCHOR + D(days=offset)
        for settings in (None, other):
            counts = cohort.status_counts(as_of, settings=settings)
            assert counts == _row_by_row(cohort, as_of, settings), (offset, settings)
            assert sum(counts.values()) == sum(1 for r in cohort.worklist(as_of, statuses=STATUS_ORDER,
                                                                           settings=settings))


def test_every_status_is_counted(cohort):
    counts = cohort.status_counts(ANCHOR)
    assert all(counts[s] > 0 for s in STATUS_ORDER), counts


def test_a_decision_kind_outside_the_vocabulary_is_still_counted(cohort):
    conn = cohort._db.conn
    ids = [r[0] for r in conn.execute("SELECT case_id FROM cases WHERE immediate = 0 ORDER BY case_id LIMIT 5")]
    conn.execute(f"UPDATE cases SET last_decision_kind = 'aardvark' WHERE case_id IN ({','.join('?' * 5)})", ids)
    conn.execute("UPDATE cases SET last_decision_kind = 'zebra' WHERE case_id = ?", (ids[0],))
    conn.commit()
    counts = cohort.status_counts(ANCHOR)
    assert counts == _row_by_row(cohort, ANCHOR)
    assert sum(counts.values()) == cohort.case_count()


def test_unexpected_flag_values_fall_back_to_counting_row_by_row(cohort, caplog):
    conn = cohort._db.conn
    conn.execute("UPDATE cases SET has_follow_up = 2 WHERE case_id = (SELECT min(case_id) FROM cases "
                 "WHERE immediate = 0 AND last_decision_kind IS NULL AND resolved = 0)")
    conn.commit()
    with caplog.at_level(logging.WARNING, logger="radiculopathy_desktop.storage.worklist"):  # expected here only
        counts = cohort.status_counts(ANCHOR)
    assert counts == _row_by_row(cohort, ANCHOR)
    assert sum(counts.values()) == cohort.case_count(), "no case is left out of the counts"
    assert any("row by row" in r.getMessage() for r in caplog.records)


def test_cases_opened_after_the_date_are_not_counted(store):
    store.import_cases([make_case("A"), make_case("LATER", care_start=ANCHOR + D(days=3))])
    counts = store.status_counts(ANCHOR)
    assert sum(counts.values()) == 1
    assert sum(store.status_counts(ANCHOR + D(days=3)).values()) == 2


def _plans(store: CaseStore, sql: str, params: dict) -> list[str]:
    return [r[3] for r in store._db.conn.execute("EXPLAIN QUERY PLAN " + sql, params)]


def test_start_up_queries_walk_indexes_not_the_whole_table(cohort):
    """The first page, the counts and the check for stale facts never scan every case."""
    s = cohort.get_settings()
    params = wl._params(ANCHOR, s) | {"facts_key": facts_key(s)}
    plans = _plans(cohort, wl._COUNT_ALL_SQL, params) + _plans(cohort, wl._COUNT_STALE_SQL, params)
    plans += _plans(cohort, f"SELECT count(*) FROM main.cases WHERE rowid IN ({wl._STALE_ROWIDS})", params)
    for status in wl.WORKLIST_STATUSES:
        for trend in ((None,) if status == ReviewStatus.IMMEDIATE else (0, 1, 2)):
            plans += _plans(cohort, wl._group_sql(status, trend) + " LIMIT 200", params)
    # cases_immediate is a partial index holding only the immediate cases: walking it
    # in order is the point (no sort); any other SCAN would read every case.
    scans = [p for p in plans if p.startswith("SCAN") and "INDEX cases_immediate" not in p]
    assert not scans, scans
    immediate = _plans(cohort, wl._group_sql(ReviewStatus.IMMEDIATE, None), params)
    assert not any("TEMP B-TREE" in p for p in immediate), "the immediate group is read in order"


# --------------------------------------------------------------------------- m006
def test_a_version_5_file_gets_the_covering_status_index_and_counts_the_same(tmp_path):
    """m006: the counts' bands with a follow-up visit test improving and last_visit_date;
    after the migration the index holds them, so no band reads a table row, and every
    count is what it was (and what the rule gives row by row)."""
    import sqlite3

    from helpers.schema_v5 import demo_tracker_at_version_5, status_index_columns as _status_index_columns
    from radiculopathy_desktop.storage import schema

    folder = tmp_path / "db"
    db_file = demo_tracker_at_version_5(folder, 200, seed=7, as_of=ANCHOR)
    conn = sqlite3.connect(db_file)
    assert schema.pending_names(conn) == ["m006_status_counts", "m007_entry_order", "m008_scored_follow_up", "m009_patient_key",
                                          "m010_pregnancy", "m011_patient_key_turkish_i",
                                          "m012_medicine_alert_spans", "m013_derived_recompute_audit",
                                          "m014_clock_follow_up"]
    assert "improving" not in _status_index_columns(conn)
    conn.close()
    with CaseStore.open(folder) as store:
        conn = store._db.conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION == 14
        assert _status_index_columns(conn) == ["immediate", "last_decision_kind", "resolved", "has_follow_up",
                                               "care_start_ord", "continue_until_ord", "improving",
                                               "follow_up_ord"]  # m008: the newest scored visit (fu16)
        for offset in (-60, 0, 30):
            as_of = ANCHOR + D(days=offset)
            assert store.status_counts(as_of) == _row_by_row(store, as_of)
        s = store.get_settings()
        plans = _plans(store, wl._COUNT_ALL_SQL, wl._params(ANCHOR, s) | {"facts_key": facts_key(s)})
        status_walks = [p for p in plans if "cases_status" in p]
        assert status_walks and all("COVERING INDEX cases_status" in p for p in status_walks), status_walks


# --------------------------------------------------------------------------- the clinic server
@pytest.fixture(params=["ranges", "rule"])
def twins(tmp_path, request, monkeypatch):
    """The same 400 demo cases in a SQLite file and on the clinic server; yields
    (sqlite store, server store, a superuser connection to the server's database).
    The server counts them by index ranges (as a database of 50,000 cases or more is
    counted) or by the rule on each case (as a smaller one is): both ways, each test."""
    import psycopg

    from radiculopathy_desktop.demo import generate_case_dicts
    from radiculopathy_desktop.storage.pg import worklist as pgwl
    from radiculopathy_desktop.storage.pg.store import PgStore

    monkeypatch.setattr(pgwl, "COUNT_BY_RANGES_FROM", 0 if request.param == "ranges" else 10**12)

    server = request.getfixturevalue("pg_server")
    url = request.getfixturevalue("pg_database")
    cases = [parse_case(d) for d in generate_case_dicts(400, seed=5, as_of=ANCHOR)]
    with CaseStore.open(tmp_path / "db") as local, PgStore.open(url()) as pg, \
            psycopg.connect(server.conninfo(url.dbname), autocommit=True) as su:
        local.import_cases(cases)
        pg.import_cases(cases)
        su.execute("ANALYZE cases")  # the planner's estimate of the number of cases (pg_class.reltuples)
        su.counting = request.param
        yield local, pg, su


def test_the_server_counts_equal_the_rule_on_many_dates_and_settings(twins):
    """The server counts by the same index partition as SQLite (m006); on every date and
    both settings, its counts equal SQLite's rule applied row by row, including dates
    whose cases come from the facts history and from the exact path."""
    local, pg, _ = twins
    other = local.get_settings().updated({"window_start_day": 35, "window_end_day": 70, "upcoming_lead_days": 0,
                                          "resolved_leg_nrs_max": 1})
    for offset in (-120, -30, -1, 0, 1, 13, 14, 42, 365):
        as_of = ANCHOR + D(days=offset)
        for settings in (None, other):
            expected = _row_by_row(local, as_of, settings)
            assert pg.status_counts(as_of, settings=settings) == expected, (offset, settings)
    assert all(n > 0 for n in pg.status_counts(ANCHOR).values())


def test_the_server_counts_decision_kinds_outside_the_vocabulary(twins):
    local, pg, su = twins
    ids = [r[0] for r in local._db.conn.execute(
        "SELECT case_id FROM cases WHERE immediate = 0 ORDER BY case_id LIMIT 5")]
    for kind, chosen in (("aardvark", ids), ("zebra", ids[:1])):
        local._db.conn.execute(f"UPDATE cases SET last_decision_kind = ? WHERE case_id IN "
                               f"({','.join('?' * len(chosen))})", [kind, *chosen])
        su.execute("UPDATE cases SET last_decision_kind = %s WHERE case_id = ANY(%s)", (kind, chosen))
    local._db.conn.commit()
    counts = pg.status_counts(ANCHOR)
    assert counts == _row_by_row(local, ANCHOR)
    assert sum(counts.values()) == pg.case_count()


def test_unexpected_flag_values_on_the_server_fall_back_to_the_rule(twins, caplog):
    """A flag outside 0/1 (never written by the app) would fall outside the partition: the
    partition's total differs from the number of cases, so the server counts by the rule
    itself instead of leaving the case out."""
    local, pg, su = twins
    case_id = local._db.conn.execute("SELECT min(case_id) FROM cases WHERE immediate = 0 "
                                     "AND last_decision_kind IS NULL AND resolved = 0").fetchone()[0]
    local._db.conn.execute("UPDATE cases SET has_follow_up = 2 WHERE case_id = ?", (case_id,))
    local._db.conn.commit()
    su.execute("UPDATE cases SET has_follow_up = 2 WHERE case_id = %s", (case_id,))
    with caplog.at_level(logging.WARNING, logger="radiculopathy_desktop.storage.pg.worklist"):  # expected here only
        counts = pg.status_counts(ANCHOR)
    assert counts == _row_by_row(local, ANCHOR)
    assert sum(counts.values()) == pg.case_count(), "no case is left out of the counts"
    # The partition notices and counts by the rule; counting by the rule needs no notice.
    assert any("row by row" in r.getMessage() for r in caplog.records) == (su.counting == "ranges")


def test_the_server_counts_walk_the_status_index_only(twins):
    """Every part of the server's partition can be answered from cases_status (or the
    immediate cases' index) alone: with the planner told to avoid reading the table,
    each part is an index-only scan. A column the rule reads that the index lacks
    would show as an index scan with table reads (or a bitmap heap scan)."""
    from radiculopathy_desktop.storage.pg import worklist as pgwl

    _, pg, su = twins
    su.execute("VACUUM ANALYZE cases")
    s = pg.get_settings()
    params = wl._params(ANCHOR, s) | {"facts_key": facts_key(s)}
    with su.transaction():
        su.execute("SET LOCAL enable_seqscan = off")
        su.execute("SET LOCAL enable_bitmapscan = off")
        plan = [r[0] for r in su.execute("EXPLAIN " + pgwl._COUNT_ALL_SQL, params)]
    scans = [line.strip() for line in plan if " on cases " in line]
    assert len(scans) >= 20, plan
    assert all(line.startswith("->  Index Only Scan using cases_status")
               or line.startswith("->  Index Only Scan using cases_immediate") for line in scans), plan


def test_an_m005_server_database_gets_the_covering_status_index(twins, request):
    """m006 on the clinic server: an m005 database (cases_status without INCLUDE) is
    upgraded by ``server upgrade``'s initialise; the counts are unchanged."""
    from radiculopathy_desktop.storage.pg import setup

    local, pg, su = twins
    before = {offset: pg.status_counts(ANCHOR + D(days=offset)) for offset in (-30, 0)}
    su.execute("DROP INDEX cases_status")
    su.execute("CREATE INDEX cases_status ON cases(immediate, last_decision_kind, resolved, has_follow_up, "
               "care_start_ord, continue_until_ord)")
    su.execute("DELETE FROM schema_migrations WHERE name = 'm006_status_counts'")
    su.autocommit = False
    try:
        result = setup.initialise(su)
    finally:
        su.autocommit = True
    assert result.applied == ("m006_status_counts",)
    definition = su.execute("SELECT pg_get_indexdef('cases_status'::regclass)").fetchone()[0]
    assert definition.endswith("INCLUDE (improving, last_visit_date)"), definition
    for offset, counts in before.items():
        assert pg.status_counts(ANCHOR + D(days=offset)) == counts == _row_by_row(local, ANCHOR + D(days=offset))
