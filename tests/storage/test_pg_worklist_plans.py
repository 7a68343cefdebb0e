"""The clinic server plans every worklist statement for the date it is asked about, and
reads the full list in one server process.

psycopg prepares a statement on a connection from its fifth execution, and PostgreSQL
then settles on a generic plan made without the parameter values. For the worklist that
plan cannot know which facts-history rows hold on the date: the history check walked
every case's history instead of probing one index range, on every list and every page
(8 ms of server CPU at 10,000 cases, ten times that at 100,000). Checked here: after
many lists, pages and counts on one connection (today and a past date), the rows still
equal SQLite's for the same cases, and none of the worklist's statements was prepared on
the server while the store's other statements were (so the check looked at the right
session).
"""

from __future__ import annotations

import datetime as dt

import pytest

import pg_server as pgs
from radiculopathy_desktop.storage.pg.store import PgStore
from radiculopathy_desktop.storage.store import CaseStore

from tracker_support import ANCHOR, case_dict
from radiculopathy_desktop.domain.intake import parse_case

D = dt.timedelta


def _cases():
    out = []
    for n in range(12):
        # Some cases with visits after the past date, so the facts history gives that date's
        # rows; a red flag; cases waiting from a few weeks to a year.
        visits = [{"date": ANCHOR - D(days=40 - n), "leg_nrs": 2 + n % 7}] if n % 3 else []
        flags = {"saddle_anaesthesia": "yes"} if n == 5 else None
        out.append(parse_case(case_dict(f"C-{n:02}", care_start=ANCHOR - D(days=30 + 29 * n), visits=visits,
                                        red_flags=flags, patient_id=f"P{n}")))
    return out


def test_worklist_statements_are_never_prepared_and_the_rows_stay_sqlites(pg_database, data_dir):
    cases = _cases()
    past = ANCHOR - D(days=60)
    with CaseStore.open(data_dir) as local:
        local.import_cases(cases)
        expected = {day: [r.raw for r in local.worklist(day)] for day in (ANCHOR, past)}
        counts = {day: local.status_counts(day) for day in (ANCHOR, past)}
    assert len(expected[ANCHOR]) >= 6 and expected[past] != expected[ANCHOR]
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as store:
        store.import_cases(cases)
        for _ in range(8):  # well past psycopg's fifth execution, when it would prepare
            for day in (ANCHOR, past):
                assert [r.raw for r in store.worklist(day)] == expected[day]
                assert [r.raw for r in store.worklist(day, limit=4)] == expected[day][:4]
                assert [r.raw for r in store.worklist(day, limit=3, offset=2)] == expected[day][2:5]
                assert store.status_counts(day) == counts[day]
        with store._tx() as conn:
            prepared = [text for (text,) in conn.execute("SELECT statement FROM pg_prepared_statements")]
    assert prepared, "the store's other statements (its settings) were prepared on this session"
    # The import's statements were prepared too; the worklist's are the reads that test the
    # date against the cases' clock (intake, care start) or the facts history.
    reads = [text for text in prepared if text.lstrip().upper().startswith("SELECT")]
    worklist = [text for text in reads if any(m in text for m in ("case_fact_history", "care_start_ord", "intake_ord"))]
    assert worklist == [], reads


def test_the_full_list_is_read_without_parallel_workers_and_the_callers_setting_is_kept(pg_database, monkeypatch):
    """The full list's scan runs with no parallel workers (they cost the shared server more
    CPU and compete with the workstation on a loaded machine); the setting is the
    session's own again afterwards, inside a caller's transaction as well; a failing scan
    reports its own error."""
    from radiculopathy_desktop.storage.pg import worklist as pgwl

    cases = _cases()
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as store:
        store.import_cases(cases)
        expected = [r.raw for r in store.worklist(ANCHOR)]
        seen = []
        real = pgwl._fetch

        def scan(conn, sql, params):
            seen.append(conn.execute("SHOW max_parallel_workers_per_gather").fetchone()[0])
            return real(conn, sql, params)

        monkeypatch.setattr(pgwl, "_fetch", scan)
        with store._tx() as conn:
            conn.execute("SET LOCAL max_parallel_workers_per_gather = 3")
            assert [r.raw for r in store.worklist(ANCHOR)] == expected  # in this transaction
            assert conn.execute("SHOW max_parallel_workers_per_gather").fetchone()[0] == "3"
        assert seen == ["0"]
        with store._tx() as conn:
            default = conn.execute("SHOW max_parallel_workers_per_gather").fetchone()[0]
        assert [r.raw for r in store.worklist(ANCHOR)] == expected
        assert seen == ["0", "0"]
        with store._tx() as conn:
            assert conn.execute("SHOW max_parallel_workers_per_gather").fetchone()[0] == default != "0"

        def failing(conn, sql, params):
            return conn.execute("SELECT 1 / 0").fetchall()

        monkeypatch.setattr(pgwl, "_fetch", failing)
        with pytest.raises(Exception, match="division by zero"):
            store.worklist(ANCHOR)
        monkeypatch.setattr(pgwl, "_fetch", real)
        assert [r.raw for r in store.worklist(ANCHOR)] == expected
