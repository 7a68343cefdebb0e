"""Start-up cost of the storage layer, and the migration path it must not lose.

Opening an up-to-date database and reading what the window shows first (the first
worklist page and the status counts) uses plain sqlite3: sqlite-utils (and click,
dateutil, pluggy behind it) and the case-format modules are not imported. A
database that needs a migration still gets it, after a checked backup.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop.storage import backup as bk
from radiculopathy_desktop.storage import db as dbmod
from radiculopathy_desktop.storage import schema
from radiculopathy_desktop.storage.store import CaseStore

from tracker_support import ANCHOR, make_case

D = dt.timedelta

HEAVY = ("sqlite_utils", "click", "dateutil", "pluggy", "radiculopathy_desktop.domain.intake",
         "radiculopathy_desktop.domain.instruments", "radiculopathy_desktop.domain.triage")

CHILD = r"""
import datetime as dt, json, sys
from radiculopathy_desktop.storage.store import CaseStore
store = CaseStore.open(sys.argv[1], create=False)
as_of = dt.date.fromisoformat(sys.argv[2])
rows = store.worklist(as_of, limit=200)
counts = store.status_counts(as_of)
reasons = [r.reason for r in rows]  # what the table's "Why" column shows
store.close()
print(json.dumps({"rows": len(rows), "counts": sum(counts.values()),
                  "loaded": sorted(m for m in sys.modules if m.split(".")[0] in
                                   ("sqlite_utils", "click", "dateutil", "pluggy")
                                   or m.startswith("radiculopathy_desktop.domain."))}))
"""


def _child(data_dir: Path, as_of) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(data_dir), as_of.isoformat()], capture_output=True,
                         text=True, env=dict(os.environ), timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.fixture
def seeded(data_dir):
    with CaseStore.open(data_dir) as store:
        store.import_cases([
            make_case("A"),  # day 50, no follow-up
            make_case("B", care_start=ANCHOR - D(days=70), visits=[{"date": ANCHOR - D(days=10), "leg_nrs": 7}]),
            make_case("C", red_flags={"saddle_anaesthesia": "yes"}),
            make_case("E", care_start=ANCHOR - D(days=90),
                      decisions=[{"date": ANCHOR - D(days=5), "kind": "continue_conservative_care",
                                  "until": ANCHOR + D(days=20)}]),
        ])
    return data_dir


def test_opening_an_up_to_date_database_imports_no_sqlite_utils(seeded):
    result = _child(seeded, ANCHOR)
    assert result["rows"] == 3 and result["counts"] == 4
    loaded = set(result["loaded"])
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_a_past_date_reads_the_facts_history(seeded):
    """Before the cases' latest events the facts are the stored facts history's rows for
    that day (m005): no case record is read, so the case-format modules stay unloaded."""
    result = _child(seeded, ANCHOR - D(days=7))
    assert result["counts"] == 4
    assert not set(result["loaded"]) & set(HEAVY), sorted(set(result["loaded"]) & set(HEAVY))


def test_a_past_date_without_history_still_uses_the_exact_path(seeded, db_path):
    """A case without a history row for the day (e.g. written by a version before m005 and
    not yet upgraded) has its facts recomputed from the case record."""
    conn = sqlite3.connect(db_path)
    conn.execute("DELETE FROM case_fact_history WHERE case_id = 'E'")  # its decision is after the day
    conn.commit()
    conn.close()
    result = _child(seeded, ANCHOR - D(days=7))
    assert result["counts"] == 4
    assert "radiculopathy_desktop.domain.intake" in result["loaded"]  # loaded because it was needed


def _make_version_1(path: Path) -> None:
    """Turn a current database back into what version 1 of the schema wrote."""
    from helpers.schema_v5 import make_version_6

    make_version_6(path)
    conn = sqlite3.connect(path)
    conn.executescript("""
        DROP INDEX cases_status;
        DROP INDEX cases_fresh;
        DROP INDEX cases_immediate;
        CREATE INDEX cases_immediate ON cases(immediate) WHERE immediate = 1;
        DROP TABLE medicine_alerts;
        DROP TABLE outcome_facts;
        DROP TABLE case_fact_history;
        DELETE FROM _sqlite_migrations WHERE name IN ('m002_startup_indexes', 'm003_medicine_alerts',
                                                      'm004_outcome_facts', 'm005_fact_history',
                                                      'm006_status_counts');
        PRAGMA user_version = 1;
    """)
    conn.commit()
    conn.close()


def _indexes(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    finally:
        conn.close()


def test_an_older_database_is_backed_up_then_migrated(seeded, db_path):
    _make_version_1(db_path)
    conn = sqlite3.connect(db_path)
    assert schema.pending_names(conn) == ["m002_startup_indexes", "m003_medicine_alerts", "m004_outcome_facts",
                                          "m005_fact_history", "m006_status_counts", "m007_entry_order",
                                          "m008_scored_follow_up", "m009_patient_key",
                                          "m010_pregnancy", "m011_patient_key_turkish_i",
                                          "m012_medicine_alert_spans", "m013_derived_recompute_audit",
                                          "m014_clock_follow_up"]
    conn.close()
    with CaseStore.open(seeded) as store:
        conn = store._db.conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION == 14
        assert [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")] == \
            schema.migration_names()
        assert store.case_count() == 4
        assert {s.value: n for s, n in store.status_counts(ANCHOR).items() if n} == \
            {"immediate": 1, "due": 1, "needs_follow_up": 1, "snoozed": 1}
    assert {"cases_status", "cases_fresh", "cases_immediate"} <= _indexes(db_path)
    backups = bk.list_backups(seeded / "backups")
    assert len(backups) == 1, "a checked backup is taken before the migration"
    old = sqlite3.connect(backups[0])
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    assert old.execute("SELECT count(*) FROM cases").fetchone()[0] == 4
    assert "cases_status" not in {r[0] for r in old.execute("SELECT name FROM sqlite_master")}
    old.close()
    with CaseStore.open(seeded):
        pass
    assert len(bk.list_backups(seeded / "backups")) == 1, "no backup when nothing is pending"


def test_a_new_database_has_every_migration_and_no_backup(data_dir, db_path):
    with CaseStore.open(data_dir) as store:
        conn = store._db.conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert schema.applied_names(conn, schema.migrations.name) == schema.migration_names()
        assert schema.pending_names(store._db) == []
    assert not (data_dir / "backups").exists() or bk.list_backups(data_dir / "backups") == []


def test_schema_check_takes_a_connection_or_a_sqlite_utils_database(seeded, db_path):
    import sqlite_utils

    conn = sqlite3.connect(db_path)
    dbmod._check_schema(conn, db_path)
    dbmod._check_schema(sqlite_utils.Database(conn, execute_plugins=False), db_path)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    with pytest.raises(dbmod.StorageError) as err:
        dbmod._check_schema(conn, db_path)
    assert err.value.kind == "newer_schema"
    conn.close()


def test_migration_registry_behaves_like_sqlite_utils(tmp_path):
    """The registry's pending/apply agree with sqlite-utils' own Migrations."""
    import sqlite_utils

    reg = schema.MigrationSet("example")

    @reg(name="one")
    def one(db):
        db.execute("CREATE TABLE t (x)")

    @reg(name="two")
    def two(db):
        db.execute("INSERT INTO t VALUES (1)")

    with pytest.raises(ValueError):
        reg(name="one")(one)
    conn = sqlite3.connect(tmp_path / "x.db")
    assert [m.name for m in reg.pending(conn)] == ["one", "two"]
    reg.apply(dbmod.Database(conn))
    assert reg.pending(conn) == []
    real = sqlite_utils.Migrations("example")
    real(name="one")(one)
    real(name="two")(two)
    assert real.pending(sqlite_utils.Database(conn)) == []
    assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 1
    conn.close()


# --------------------------------------------------------------------------- the Database wrapper
def test_database_wrapper_commits_plain_writes_and_keeps_transactions(tmp_path):
    conn = sqlite3.connect(tmp_path / "w.db")
    db = dbmod.Database(conn)
    assert conn.execute("PRAGMA recursive_triggers").fetchone()[0] == 1
    db.execute("CREATE TABLE t (x)")
    db.execute("INSERT INTO t VALUES (?)", (1,))
    assert not conn.in_transaction, "a write outside a transaction is committed"
    with db.atomic():
        db.execute("INSERT INTO t VALUES (2)")
        with pytest.raises(RuntimeError):
            with db.atomic():  # a savepoint: rolled back alone
                db.execute("INSERT INTO t VALUES (3)")
                raise RuntimeError
    assert [r[0] for r in conn.execute("SELECT x FROM t ORDER BY x")] == [1, 2]
    with pytest.raises(RuntimeError):
        with db.atomic():
            db.execute("INSERT INTO t VALUES (4)")
            raise RuntimeError
    assert [r[0] for r in conn.execute("SELECT x FROM t ORDER BY x")] == [1, 2]
    with pytest.raises(sqlite3.OperationalError):
        db.execute("INSERT INTO no_such_table VALUES (1)")
    assert not conn.in_transaction
    assert db.execute("-- a comment\n SELECT count(*) FROM t").fetchone()[0] == 2
    # sqlite-utils features still work on the same connection (imported on first use).
    assert db["t"].count == 2
    assert "t" in db.table_names()
    db.close()


def test_store_drafts_are_saved_through_the_wrapper(store):
    store.save_draft("intake", {"step": 2})
    assert not store._db.conn.in_transaction
    assert store.load_draft("intake") == {"step": 2}
    store.delete_draft("intake")
    assert store.load_draft("intake") is None
