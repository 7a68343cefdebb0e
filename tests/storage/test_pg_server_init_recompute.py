"""`server init` does the one-time derived-data recompute in the same sitting as the schema
upgrade, and says which login it needs (srv22, rt23 F7); the recompute's one audit entry holds
its versions as JSON objects, not as JSON text inside JSON (rt23 F10).

Before (rt23 F7): after `server init` nothing was recomputed (no derived version, no entry,
although `PgStore.upgrade_derived_data_if_needed` said "``server init`` runs it too"); it ran
whenever an admin login next opened the app, possibly in clinic hours, holding the Medicine
alerts table locked for minutes at 100,000 cases. The refusals told IT to use "an admin login",
which `server init` itself refuses.

Now: `server init`, run as README's IT login (owns the database, CREATEROLE, no superuser),
applies the missing migrations, then recomputes once, with its one `derived_data_recomputed`
entry naming that login; an admin's later open has nothing left to do. An admin login's
`server init` is refused naming the login it needs, nothing changed; a workstation refusing an
older server names it too.

Before (rt23 F10): the entry's "to" was ``"\\"facts 14; ...\\""`` (the settings row's JSON text as a
JSON string). Now "from" and "to" are objects of the version's parts. m013 is changed in place:
it was merged to main this round (0d4337a) and no release has shipped it, so no server in use
holds the old trigger.
"""

from __future__ import annotations

import json

import psycopg
import pytest
from psycopg import sql

import pg_server as pgs
from radiculopathy_desktop import cli
from radiculopathy_desktop.domain.vocab import StorageErrorKind
from radiculopathy_desktop.storage.engine_common import _version_parts
from radiculopathy_desktop.storage.errors import StorageError
from radiculopathy_desktop.storage.pg import schema as pgschema
from radiculopathy_desktop.storage.pg import setup
from radiculopathy_desktop.storage.pg.store import PgStore
from radiculopathy_desktop.storage.store import DERIVED_VERSION_KEY

from test_pg_derived_recompute_audit import _baselines, _cases, _previous_version, _recorded

IT = "rad_test_srv22_it"
DB = "rad_test_srv22_v12"


@pytest.fixture
def run(capsys):
    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = cli.main(list(args))
        except SystemExit as exc:
            code = exc.code
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return run


@pytest.fixture
def it_v12(pg_server, monkeypatch, tmp_path):
    """README's set-up (an IT login with CREATEROLE that owns the database, no superuser) of a
    server by the previous version (schema 12), with cases stored before fxj20's recompute."""
    pgs.drop_database(pg_server, DB)
    with psycopg.connect(pg_server.conninfo(), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(IT)))
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN CREATEROLE PASSWORD {}").format(
            sql.Identifier(IT), sql.Literal(pg_server.password)))
        conn.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(DB), sql.Identifier(IT)))
    pgpass = tmp_path / "pgpass"
    pgpass.write_text((pg_server.root / "pgpass").read_text() + f"*:*:*:{IT}:{pg_server.password}\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    with monkeypatch.context() as m:
        _previous_version(m)
        with psycopg.connect(pg_server.conninfo(DB, IT)) as conn:
            assert setup.initialise(conn).schema_version == 12
        with PgStore.open(pg_server.url(DB, pgs.CLINICIAN_LOGIN)) as store:
            store.import_cases(_cases(), user="Dr Ada")
    with psycopg.connect(pg_server.conninfo(DB), autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")  # as a version before fxj20 stored them
        conn.execute("UPDATE cases SET baseline_leg_nrs = 7, facts_key = 'before-fxj20'")
        conn.execute("DELETE FROM settings WHERE key = %s", (DERIVED_VERSION_KEY,))
    yield pg_server
    pgs.drop_database(pg_server, DB)
    with psycopg.connect(pg_server.conninfo(), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(IT)))


def _audit(pg_server):
    with psycopg.connect(pg_server.conninfo(DB)) as conn:
        return [(a, c, json.loads(d), role) for a, c, d, role in
                conn.execute("SELECT action, case_id, detail_json, db_role FROM audit ORDER BY id").fetchall()]


def _stored_version(pg_server):
    with psycopg.connect(pg_server.conninfo(DB)) as conn:
        row = conn.execute("SELECT value_json FROM settings WHERE key = %s", (DERIVED_VERSION_KEY,)).fetchone()
    return None if row is None else json.loads(row[0])


def test_server_init_upgrades_and_recomputes_in_one_sitting(it_v12, run):
    pg = it_v12
    audit0, recorded0 = _audit(pg), _recorded(pg, DB)
    code, out, err = run("server", "init", pg.url(DB, IT))
    assert code == 0, err
    assert "schema: upgraded from version 12 to 14" in out
    assert "derived data: recomputed for 3 case(s); nothing recorded changed" in out
    assert out.index("schema: upgraded") < out.index("derived data: recomputing")
    # done now, not at an admin's next open: the version recorded, the baseline re-derived
    assert _stored_version(pg) == PgStore.derived_version()
    assert _baselines(pg, DB) == {"RR": 3, "PLAIN": 7, "FU": 7}
    assert _recorded(pg, DB) == recorded0
    added = _audit(pg)[len(audit0):]
    assert [(a, c, role) for a, c, _d, role in added] == [("derived_data_recomputed", None, IT)]
    detail = added[0][2]
    assert detail["cases"] == 3 and detail["review_facts_rewritten"] == 3
    # rt23 F10: the versions are JSON objects of their parts, not a JSON string of JSON text
    assert detail["from"] is None
    assert detail["to"] == _version_parts(PgStore.derived_version()) and isinstance(detail["to"], dict)
    assert detail["to"]["outcomes"].startswith("5 ")
    # an admin's open (and a second `server init`) has nothing left to do: no second entry
    with PgStore.open(pg.url(DB, pgs.ADMIN_LOGIN)) as store:
        assert store.upgrade_pending is False
    code, out, err = run("server", "init", pg.url(DB, IT))
    assert code == 0, err
    assert "schema: already at version 14" in out and "derived data: up to date (nothing to recompute)" in out
    assert len(_audit(pg)) == len(audit0) + 1


def test_a_version_change_alone_is_recomputed_by_server_init_with_both_versions_as_objects(it_v12, run):
    """An app upgrade that changes only the derived version (no schema change): `server init`
    (README: run it at every upgrade) recomputes; "from" is the previous version's parts."""
    pg = it_v12
    assert run("server", "init", pg.url(DB, IT))[0] == 0
    current = PgStore.derived_version()
    previous = current.replace("outcomes 5 ", "outcomes 4 ")
    assert previous != current
    with psycopg.connect(pg.conninfo(DB), autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute("UPDATE settings SET value_json = %s WHERE key = %s", (json.dumps(previous), DERIVED_VERSION_KEY))
    audit0 = _audit(pg)
    code, out, err = run("server", "init", pg.url(DB, IT))
    assert code == 0, err
    assert "derived data: recomputed for 3 case(s)" in out
    [(action, _c, detail, _r)] = _audit(pg)[len(audit0):]
    assert action == "derived_data_recomputed"
    assert detail["from"] == _version_parts(previous) and detail["to"] == _version_parts(current)
    assert detail["from"]["outcomes"].startswith("4 ") and "outcome facts" in detail["recomputed"]


def test_an_admin_logins_server_init_is_refused_naming_the_login_it_needs(it_v12, run):
    pg = it_v12
    audit0, recorded0 = _audit(pg), _recorded(pg, DB)
    code, out, err = run("server", "init", pg.url(DB, pgs.ADMIN_LOGIN))
    assert code == 3
    assert "Nothing was changed" in err
    assert "`server init` needs the IT login that owns the database and may create roles" in err
    assert "an admin's login (radiculopathy_admin) cannot change the schema" in err
    assert "need an admin login" not in err
    with psycopg.connect(pg.conninfo(DB)) as conn:
        assert len(setup.applied_versions(conn)) == 12
    assert _audit(pg) == audit0 and _recorded(pg, DB) == recorded0 and _stored_version(pg) is None


def test_a_workstation_refusing_the_older_server_names_the_it_login(it_v12):
    pg = it_v12
    with pytest.raises(StorageError) as refused:
        PgStore.open(pg.url(DB, pgs.CLINICIAN_LOGIN))
    message = str(refused.value)
    assert refused.value.kind == StorageErrorKind.NEWER_SCHEMA
    assert f"this app needs {pgschema.SCHEMA_VERSION}" in message
    assert "server init URL`, run with the IT login that owns the database" in message
    assert "not an admin login" in message


def test_server_init_on_a_new_server_records_the_version_without_an_entry(pg_server, run, monkeypatch):
    name = "rad_test_srv22_new"
    pgs.drop_database(pg_server, name)
    with psycopg.connect(pg_server.conninfo(), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    monkeypatch.setenv("PGPASSFILE", str(pg_server.root / "pgpass"))
    try:
        code, out, err = run("server", "init", pg_server.url(name))
        assert code == 0, err
        assert "derived data: version recorded (no cases stored yet)" in out
        with psycopg.connect(pg_server.conninfo(name)) as conn:
            assert conn.execute("SELECT count(*) FROM audit").fetchone()[0] == 0
    finally:
        pgs.drop_database(pg_server, name)
