"""On the clinic server a derived-data recompute is audited as ONE entry, not as a user's case
update per case; every real edit is still audited (pg21, oc20 item 2; hazard H-SRV-390).

Before (schema 12, m001's trigger): the one-time recompute after an upgrade (fxj20's review facts
14) rewrote ``cases.baseline_leg_nrs`` of each case whose intake's day was re-recorded, a column
derived from the intake and its day's visits, and the audit trigger compared it as if a clinician
had recorded it: one "Case updated by an import" entry per such case, naming the admin who ran the
upgrade, in the case's own history, with nothing a clinician did behind it.

Now (m013): a derived update cannot insert, change or delete a visit or decision (as it already
could not touch a case record or a patient), the derived baseline is not compared, and the
recompute writes one ``derived_data_recomputed`` entry naming the versions, what was recomputed
and how many cases. Tested from the previous schema version on a populated database, both
directions: this app refuses the version-12 database until ``server init`` applies m013 (and only
m013, nothing recorded changes); an app that knows 12 migrations refuses the version-13 one.
"""

from __future__ import annotations

import datetime as dt
import json

import psycopg
import pytest
from psycopg import sql

import pg_server as pgs
from radiculopathy_desktop.domain.intake import FollowUpVisit
from radiculopathy_desktop.domain.vocab import StorageErrorKind
from radiculopathy_desktop.storage.errors import StorageError
from radiculopathy_desktop.storage.pg import schema as pgschema
from radiculopathy_desktop.storage.pg import setup
from radiculopathy_desktop.storage.engine_common import _version_parts
from radiculopathy_desktop.storage.pg.store import PgStore
from radiculopathy_desktop.storage.store import DERIVED_VERSION_KEY

from tracker_support import ANCHOR, make_case

D = dt.timedelta
INTAKE = ANCHOR - D(days=50)
M013 = "m013_derived_recompute_audit"
M014 = "m014_clock_follow_up"  # issue 17: an index comment only on the server


def _cases():
    """RR: intake leg 7, re-recorded 3 the same day, 3 at day 20 (the derived baseline is 3).
    PLAIN: no intake-day record. FU: a follow-up only. Their stored baseline before fxj20: 7."""
    return [make_case("RR", intake=INTAKE, care_start=INTAKE,
                      visits=[{"date": INTAKE, "leg_nrs": 3}, {"date": INTAKE + D(days=20), "leg_nrs": 3}]),
            make_case("PLAIN", intake=INTAKE, care_start=INTAKE),
            make_case("FU", intake=INTAKE, care_start=INTAKE, visits=[{"date": INTAKE + D(days=30), "leg_nrs": 4}])]


def _previous_version(monkeypatch):
    """This process as the previous version of the app: it knows migrations m001-m012."""
    monkeypatch.setattr(pgschema, "MIGRATIONS", pgschema.MIGRATIONS[:12])
    monkeypatch.setattr(pgschema, "SCHEMA_VERSION", 12)


@pytest.fixture
def v12_database(pg_server, monkeypatch):
    """A clinic server set up by the previous version (schema 12) holding cases whose stored
    baseline is the one before fxj20's recompute, awaiting the one-time derived upgrade."""
    name = "rad_test_pg21_v12"
    pgs.drop_database(pg_server, name)
    with psycopg.connect(pg_server.conninfo(), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    monkeypatch.setenv("PGPASSFILE", str(pg_server.root / "pgpass"))
    with monkeypatch.context() as m:
        _previous_version(m)
        with psycopg.connect(pg_server.conninfo(name)) as conn:
            assert setup.initialise(conn).schema_version == 12
        with PgStore.open(pg_server.url(name, pgs.CLINICIAN_LOGIN)) as store:
            store.import_cases(_cases(), user="Dr Ada")
    with psycopg.connect(pg_server.conninfo(name), autocommit=True) as conn:
        # as a version before fxj20 stored them (IT's superuser, triggers off for the set-up only)
        conn.execute("SET session_replication_role = replica")
        conn.execute("UPDATE cases SET baseline_leg_nrs = 7, facts_key = 'before-fxj20'")
        conn.execute("DELETE FROM settings WHERE key = %s", (DERIVED_VERSION_KEY,))
    yield name
    pgs.drop_database(pg_server, name)


def _audit(pg_server, name):
    with psycopg.connect(pg_server.conninfo(name)) as conn:
        return [(a, c, json.loads(d)) for a, c, d in
                conn.execute("SELECT action, case_id, detail_json FROM audit ORDER BY id").fetchall()]


def _recorded(pg_server, name):
    """Everything a clinician recorded: documents, visits, decisions, patients."""
    with psycopg.connect(pg_server.conninfo(name)) as conn:
        return [conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                for t in ("case_documents", "patients")] + \
               [conn.execute(f"SELECT case_id, visit_date, leg_nrs FROM {t} ORDER BY 1, 2, 3").fetchall()
                for t in ("visits",)] + \
               [conn.execute("SELECT case_id, decision_date, kind FROM decisions ORDER BY 1, 2, 3").fetchall()]


def _baselines(pg_server, name):
    with psycopg.connect(pg_server.conninfo(name)) as conn:
        return dict(conn.execute("SELECT case_id, baseline_leg_nrs FROM cases").fetchall())


def test_at_schema_12_the_recompute_reads_as_a_users_case_update(pg_server, v12_database, monkeypatch):
    """The cause, kept as the previous version shows it: one case_updated entry for RR."""
    before = _audit(pg_server, v12_database)
    _previous_version(monkeypatch)
    with PgStore.open(pg_server.url(v12_database, pgs.ADMIN_LOGIN)):
        pass  # the admin's open runs the one-time derived upgrade
    added = _audit(pg_server, v12_database)[len(before):]
    assert [(a, c) for a, c, _ in added] == [("case_updated", "RR")]


def test_server_init_applies_m013_alone_then_the_recompute_is_one_entry(pg_server, v12_database):
    name = v12_database
    audit0, recorded0 = _audit(pg_server, name), _recorded(pg_server, name)
    # this version refuses the previous version's server until IT upgrades it
    with pytest.raises(StorageError) as refused:
        PgStore.open(pg_server.url(name, pgs.ADMIN_LOGIN))
    assert refused.value.kind == StorageErrorKind.NEWER_SCHEMA and "server init" in str(refused.value)
    with psycopg.connect(pg_server.conninfo(name)) as conn:
        result = setup.initialise(conn)
    assert (result.applied, result.previous_version, result.schema_version) == ((M013, M014), 12, 14)  # m014 changes no audit rule
    assert _audit(pg_server, name) == audit0 and _recorded(pg_server, name) == recorded0
    assert _baselines(pg_server, name) == {"RR": 7, "PLAIN": 7, "FU": 7}
    with PgStore.open(pg_server.url(name, pgs.ADMIN_LOGIN)) as store:  # runs the one-time upgrade
        assert store.upgrade_pending is False
    added = _audit(pg_server, name)[len(audit0):]
    assert [(a, c) for a, c, _ in added] == [("derived_data_recomputed", None)]
    detail = added[0][2]
    assert detail["cases"] == 3 and detail["review_facts_rewritten"] == 3
    assert detail["recomputed"][0] == "review facts" and "outcome facts" in detail["recomputed"]
    assert detail["from"] is None and detail["to"] == _version_parts(PgStore.derived_version())  # srv22: an object
    assert _baselines(pg_server, name) == {"RR": 3, "PLAIN": 7, "FU": 7}
    assert _recorded(pg_server, name) == recorded0  # nothing a clinician recorded moved
    # a second open has nothing to recompute: no entry
    with PgStore.open(pg_server.url(name, pgs.ADMIN_LOGIN)):
        pass
    assert len(_audit(pg_server, name)) == len(audit0) + 1


def test_an_app_of_the_previous_version_refuses_the_upgraded_server(pg_server, v12_database, monkeypatch):
    name = v12_database
    with psycopg.connect(pg_server.conninfo(name)) as conn:
        setup.initialise(conn)
    audit0, recorded0 = _audit(pg_server, name), _recorded(pg_server, name)
    _previous_version(monkeypatch)
    with pytest.raises(StorageError) as opened:
        PgStore.open(pg_server.url(name, pgs.ADMIN_LOGIN))
    assert opened.value.kind == StorageErrorKind.NEWER_SCHEMA and "newer than this app knows (12)" in str(opened.value)
    with psycopg.connect(pg_server.conninfo(name)) as conn, pytest.raises(StorageError):
        setup.initialise(conn)  # its `server init` changes nothing either
    with psycopg.connect(pg_server.conninfo(name)) as conn:
        assert setup.applied_versions(conn)[-2:] == [(13, M013), (14, M014)]
    assert _audit(pg_server, name) == audit0 and _recorded(pg_server, name) == recorded0


# ---- schema 13: every real edit is still a user's entry; a derived write cannot hide one

def test_real_edits_are_audited_as_before(pg_database):
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as store:
        store.import_cases(_cases(), user="Dr Ada")
        n = store.audit_count()
        store.add_visit("PLAIN", FollowUpVisit(date=INTAKE, leg_nrs=2), user="Dr Bo")  # an intake-day record
        store.import_cases([make_case("FU", intake=INTAKE, care_start=INTAKE, leg=8,
                                      visits=[{"date": INTAKE + D(days=30), "leg_nrs": 4}])],
                           user="Dr Cy", replace_records=True)
        added = store.audit()[n:]
    actions = sorted((e.action, e.case_id) for e in added)
    assert ("visit_added", "PLAIN") in actions and ("case_updated", "FU") in actions


def _derived(conn):
    conn.execute("SELECT set_config('radiculopathy.audit', %s, true)", ('{"action": "derived"}',))


def test_a_derived_write_cannot_change_a_visit_or_a_decision(pg_database, pg_server):
    with PgStore.open(pg_database(pgs.ADMIN_LOGIN)) as store:
        store.import_cases(_cases(), user="Dr Ada")
    with psycopg.connect(pg_server.conninfo(pg_database.dbname, pgs.ADMIN_LOGIN)) as conn:
        _derived(conn)
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="derived update cannot"):
            conn.execute("UPDATE cases SET baseline_leg_nrs = 1 WHERE case_id = 'RR'")
            conn.execute("DELETE FROM visits WHERE case_id = 'RR'")
        conn.rollback()


def test_a_derived_write_that_changes_a_recorded_column_is_audited_as_a_case_update(pg_database, pg_server):
    with PgStore.open(pg_database(pgs.ADMIN_LOGIN)) as store:
        store.import_cases(_cases(), user="Dr Ada")
        n = store.audit_count()
    with psycopg.connect(pg_server.conninfo(pg_database.dbname, pgs.ADMIN_LOGIN)) as conn:
        _derived(conn)
        conn.execute("UPDATE cases SET baseline_leg_nrs = 5 WHERE case_id = 'PLAIN'")  # derived: no entry
        conn.execute("UPDATE cases SET latest_leg_nrs = 1 WHERE case_id = 'FU'")  # recorded: an entry
        conn.execute("UPDATE cases SET side = 'right' WHERE case_id = 'RR'")
        conn.commit()
    with PgStore.open(pg_database(pgs.ADMIN_LOGIN)) as store:
        added = store.audit()[n:]
    assert sorted((e.action, e.case_id) for e in added) == [("case_updated", "FU"), ("case_updated", "RR")]


def test_a_bare_version_write_is_bookkeeping_and_an_empty_server_writes_no_entry(pg_database, pg_server):
    with PgStore.open(pg_database(pgs.ADMIN_LOGIN)) as store:
        n = store.audit_count()
        with store._tx({"action": "derived"}) as conn:
            conn.execute("DELETE FROM settings WHERE key = %s", (DERIVED_VERSION_KEY,))
        store.upgrade_derived_data()  # no case to recompute
        assert store.audit_count() == n and store.upgrade_pending is False
