"""Upgrading a clinic server made by the previous version (schema m005) to this one (m006),
as IT does it: a workstation of this version refuses the old server with the "IT upgrades
it" message; `server init` applies the missing migration in one transaction and says what
it does; the workstation then opens it with every case and count as before. Against the
throwaway test cluster (tests/pg_server.py), in CI."""

from __future__ import annotations

import sys
from pathlib import Path

import psycopg
import pytest

import pg_server as pgs
from helpers.cli_run import cli_runner
from radiculopathy_desktop.storage.errors import StorageError
from radiculopathy_desktop.storage.pg import schema as pgschema
from radiculopathy_desktop.storage.pg import setup
from radiculopathy_desktop.storage.pg.store import PgStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import ANCHOR, make_case  # noqa: E402

NAME = "rad_test_m005"


@pytest.fixture
def run(capsys):
    return cli_runner(capsys)


@pytest.fixture
def m005_server(pg_server, monkeypatch, run):
    """A clinic-server database set up by the previous version (migrations up to m005), with cases."""
    pgs.drop_database(pg_server, NAME)
    with psycopg.connect(pg_server.conninfo(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {NAME}")
    monkeypatch.setenv("PGPASSFILE", str(pg_server.root / "pgpass"))
    assert pgschema.migration_names()[5:] == ["m006_status_counts", "m007_entry_order", "m008_scored_follow_up",
                                                "m009_patient_key", "m010_pregnancy", "m011_patient_key_turkish_i",
                                                "m012_medicine_alert_spans", "m013_derived_recompute_audit",
                                                "m014_clock_follow_up"]
    code, out, err = run("server", "init", pg_server.url(NAME, pgs.SUPERUSER))
    assert code == 0, (out, err)
    with PgStore.open(pg_server.url(NAME, pgs.CLINICIAN_LOGIN)) as store:
        store.import_cases([make_case(f"P{i}") for i in range(12)], user="Dr Ada")
        counts = store.status_counts(ANCHOR)
    # set back to what the version of m005 left (m012's Medicine alerts index, m010's pregnancy column, m009's key, m008's column,
    # m007's entry order and
    # m006's index undone; the cases hold no visit or decision, so no record carries an order)
    with psycopg.connect(pg_server.conninfo(NAME), autocommit=True) as conn:
        conn.execute("""
            DROP INDEX cases_patient_key;
            ALTER TABLE cases DROP COLUMN patient_key;
            DROP INDEX cases_status;
            ALTER TABLE cases DROP COLUMN pregnancy;
            ALTER TABLE cases DROP COLUMN follow_up_ord;
            ALTER TABLE case_fact_history DROP COLUMN follow_up_ord;
            CREATE INDEX cases_status ON cases(immediate, last_decision_kind, resolved, has_follow_up,
                care_start_ord, continue_until_ord);
            ALTER TABLE visits DROP COLUMN entry;
            ALTER TABLE decisions DROP COLUMN entry;
            DROP SEQUENCE entry_order;
            DROP TRIGGER medicine_alert_spans_kept ON medicine_alerts;
            DROP FUNCTION radiculopathy_alert_spans();
            DROP TABLE medicine_alert_spans;
            DROP TRIGGER visits_not_derived ON visits;
            DROP TRIGGER decisions_not_derived ON decisions;
            DROP FUNCTION radiculopathy_rebuild_alert_index(text);
            DROP FUNCTION radiculopathy_version_parts(text);
            DELETE FROM schema_migrations WHERE name IN ('m006_status_counts', 'm007_entry_order',
                                                         'm008_scored_follow_up', 'm009_patient_key',
                                                         'm010_pregnancy', 'm011_patient_key_turkish_i',
                                                         'm012_medicine_alert_spans',
                                                         'm013_derived_recompute_audit',
                                                         'm014_clock_follow_up');
        """)
    yield pg_server, counts
    pgs.drop_database(pg_server, NAME)


def _status_index(conn) -> str:
    return conn.execute("SELECT pg_get_indexdef('cases_status'::regclass)").fetchone()[0]


def _versions(pg_server) -> list[tuple[int, str]]:
    with psycopg.connect(pg_server.conninfo(NAME)) as conn:
        return setup.applied_versions(conn)


def test_a_workstation_is_refused_until_it_runs_server_init_which_upgrades_in_one_step(run, m005_server):
    pg_server, counts = m005_server
    url = pg_server.url(NAME, pgs.CLINICIAN_LOGIN)
    with pytest.raises(StorageError) as err:
        PgStore.open(url)
    assert err.value.kind == "newer_schema"
    assert ("schema version 5; this app needs 14. Nothing was changed. IT upgrades it with "
            "`radiculopathy-desktop server init URL`") in err.value.message
    code, out, _ = run("server", "check", pg_server.url(NAME, pgs.SUPERUSER))
    assert code == 3  # check says the server is not at this version's schema
    code, out, err_text = run("server", "init", pg_server.url(NAME, pgs.SUPERUSER))
    assert code == 0, err_text
    lines = out.splitlines()
    assert lines[0] == "schema: applying m006_status_counts (version 6)..."
    assert lines[1] == "schema: applying m007_entry_order (version 7)..."
    assert lines[2] == "schema: applying m008_scored_follow_up (version 8)..."
    assert lines[3] == "schema: applying m009_patient_key (version 9)..."
    assert lines[4] == "schema: applying m010_pregnancy (version 10)..."
    assert lines[5] == "schema: applying m011_patient_key_turkish_i (version 11)..."
    assert lines[6] == "schema: applying m012_medicine_alert_spans (version 12)..."
    assert lines[7] == "schema: applying m013_derived_recompute_audit (version 13)..."
    assert lines[8] == "schema: applying m014_clock_follow_up (version 14)..."
    assert lines[9] == ("schema: upgraded from version 5 to 14 in one transaction (m006_status_counts, "
                        "m007_entry_order, m008_scored_follow_up, m009_patient_key, m010_pregnancy, "
                        "m011_patient_key_turkish_i, m012_medicine_alert_spans, m013_derived_recompute_audit, "
                        "m014_clock_follow_up); "
                        "workstations of this version "
                        "can now open it")
    assert [n for _, n in _versions(pg_server)] == pgschema.migration_names()
    with psycopg.connect(pg_server.conninfo(NAME)) as conn:
        assert _status_index(conn).endswith("INCLUDE (improving, follow_up_ord)")
    with PgStore.open(url) as store:  # the workstation opens it now, with every case and count as before
        assert len(list(store.iter_cases())) == 12
        assert store.status_counts(ANCHOR) == counts
    code, out, _ = run("server", "check", pg_server.url(NAME, pgs.SUPERUSER))
    assert code == 0 and "version 14" in out
    code, out, _ = run("server", "init", pg_server.url(NAME, pgs.SUPERUSER))
    assert code == 0 and out.startswith("schema: already at version 14")


def test_an_upgrade_that_fails_part_way_changes_nothing(m005_server, monkeypatch):
    """All or nothing: m006 fails after dropping the old index (as a lost connection or a
    full disk would): the old index, the version history and the cases are as they were."""
    pg_server, counts = m005_server
    failing = [(name, (lambda real=ddl: real() + "\nSELECT 1/0;") if name == "m006_status_counts" else ddl)
               for name, ddl in pgschema.MIGRATIONS]
    with monkeypatch.context() as m, psycopg.connect(pg_server.conninfo(NAME)) as conn:
        m.setattr(pgschema, "MIGRATIONS", failing)
        before = _status_index(conn)
        assert "INCLUDE" not in before
        with pytest.raises(psycopg.errors.DivisionByZero):
            setup.initialise(conn)
        conn.rollback()
        assert _status_index(conn) == before
    assert [n for _, n in _versions(pg_server)] == pgschema.migration_names()[:5]
    with psycopg.connect(pg_server.conninfo(NAME)) as conn:
        assert setup.initialise(conn).applied == ("m006_status_counts", "m007_entry_order", "m008_scored_follow_up",
                                                  "m009_patient_key", "m010_pregnancy", "m011_patient_key_turkish_i",
                                                  "m012_medicine_alert_spans", "m013_derived_recompute_audit",
                                                  "m014_clock_follow_up")
    with PgStore.open(pg_server.url(NAME, pgs.CLINICIAN_LOGIN)) as store:
        assert store.status_counts(ANCHOR) == counts
