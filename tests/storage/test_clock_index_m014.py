"""m014 (issue 17): follow_up_ord in the worklist's covering indexes.

Before: cases_clock and cases_immediate (m001, m002) held every column the worklist reads but
follow_up_ord (m008, the newest scored follow-up that re-confirms "improving"), so each row of
the worklist's walk also read the case's table row: about 200 ms of a 1 s worklist JSON at
100,000 cases. m014 adds it at the end of both; their order is unchanged.

Here a file set back to schema 13 is opened by this version: a checked backup of the old file is
made first, the migration keeps every row of every table, the list is the same, and every walk
of the worklist reads its index alone (SQLite's plan says COVERING INDEX).
"""

from __future__ import annotations

import sqlite3

import pytest

from radiculopathy_desktop.demo import generate_case_dicts
from radiculopathy_desktop.domain.followup import STATUS_ORDER, ReviewStatus
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage import backup, schema
from radiculopathy_desktop.storage import worklist as wl
from radiculopathy_desktop.storage.store import CaseStore, facts_key

from helpers.schema_v5 import index_columns, make_version_13, table_rows
from tracker_support import ANCHOR

CLOCK_INDEXES = ("cases_clock", "cases_immediate")


def _walks() -> list[tuple[str, str]]:
    """Every query the worklist walks cases_clock or cases_immediate with: the whole-list walk
    (``--status all``, the batch outputs) and each (status, trend) group of a page."""
    walks = [("all", wl._WALK_SQL)]
    for status in STATUS_ORDER:
        if status in wl.WORKLIST_STATUSES and status != ReviewStatus.ASK_RED_FLAGS:
            walks += [(f"{status.value} {trend}", wl._group_sql(status, trend)) for trend in wl.group_trends(status)]
    return walks


def _plans(conn, params: dict) -> dict[str, list[str]]:
    return {name: [r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params)] for name, sql in _walks()}


@pytest.fixture
def old_file(data_dir, db_path):
    """A tracker of 300 demo cases set back to schema 13, with the worklist it gave (every
    status) and every row it held before the set-back."""
    with CaseStore.open(data_dir) as store:
        store.import_cases([parse_case(d) for d in generate_case_dicts(300, seed=14, as_of=ANCHOR)])
        everything = frozenset(STATUS_ORDER)
        listed = [(r.case_id, r.status, r.reason) for r in store.worklist(ANCHOR, statuses=everything)]
        s = store.get_settings()
        params = wl._params(ANCHOR, s) | {"facts_key": facts_key(s)}
    make_version_13(db_path)
    return listed, params, table_rows(db_path)


def test_a_version_13_file_is_backed_up_then_gets_the_covering_indexes_keeping_every_row(old_file, data_dir,
                                                                                         db_path):
    listed, params, before = old_file
    assert before["user_version"] == 13 and before["cases"]
    conn = sqlite3.connect(db_path)
    assert schema.pending_names(conn) == ["m014_clock_follow_up"]
    for name in CLOCK_INDEXES:
        assert "follow_up_ord" not in index_columns(conn, name)
    # the problem m014 solves: the whole-list walk reads each case's table row
    assert not any("COVERING INDEX cases_clock" in p for p in _plans(conn, params)["all"])
    conn.close()
    folder = db_path.parent / backup.BACKUP_DIRNAME
    assert not folder.exists() or not backup.list_backups(folder)

    with CaseStore.open(data_dir, create=False) as store:
        conn = store._db.conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION == 14
        assert schema.pending_names(conn) == []
        for name in CLOCK_INDEXES:
            assert index_columns(conn, name)[:3] == ["trend_rank", "care_start_ord", "case_id"]  # the same order
            assert index_columns(conn, name)[-1] == "follow_up_ord"
            assert set(wl.ROW_COLUMNS) <= set(index_columns(conn, name))
        for name, plan in _plans(conn, params).items():
            assert any("COVERING INDEX cases_clock" in p or "COVERING INDEX cases_immediate" in p for p in plan), \
                (name, plan)
            assert not any("TEMP B-TREE" in p for p in plan), (name, plan)  # still walked in order, no sort
        assert [(r.case_id, r.status, r.reason) for r in store.worklist(ANCHOR, statuses=frozenset(STATUS_ORDER))
                ] == listed

    # every row of every table kept; the only change is the migration's own record
    after = table_rows(db_path)
    migrations = schema.MIGRATIONS_TABLE
    assert {k: v for k, v in after.items() if k not in (migrations, "user_version")} == \
        {k: v for k, v in before.items() if k not in (migrations, "user_version")}
    assert len(after[migrations]) == len(before[migrations]) + 1 and after["user_version"] == 14

    # the checked backup made before the migration: sound, and the file as it was (schema 13)
    (made,) = backup.list_backups(folder)
    backup.validate_backup(made)
    assert table_rows(made) == before
