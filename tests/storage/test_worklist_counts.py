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
