"""`server init`, `server check` and `server migrate-from`, run as IT would, against the
throwaway test cluster (tests/pg_server.py)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import psycopg
import pytest

import pg_server as pgs
from helpers.cli_run import cli_runner
from radiculopathy_desktop.storage.pg import schema as pgschema
from radiculopathy_desktop.storage.pg.store import PgStore
from radiculopathy_desktop.storage.store import CaseStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import ANCHOR, case_dict, make_case  # noqa: E402

D = dt.timedelta


@pytest.fixture
def run(capsys):
    return cli_runner(capsys)


@pytest.fixture
def bare_database(pg_server, monkeypatch):
    """An empty database (no schema), owned by the cluster's admin, as IT creates it."""
    name = "rad_test_bare"
    pgs.drop_database(pg_server, name)
    with psycopg.connect(pg_server.conninfo(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    monkeypatch.setenv("PGPASSFILE", str(pg_server.root / "pgpass"))
    yield name
    pgs.drop_database(pg_server, name)


def test_init_then_check_on_a_fresh_database(run, pg_server, bare_database):
    url = pg_server.url(bare_database, pgs.SUPERUSER)
    code, out, err = run("server", "check", url)
    assert code == 3 and "not set up" in out, (out, err)
    code, out, err = run("server", "init", url)
    assert code == 0, err
    assert f"version {pgschema.SCHEMA_VERSION}" in out and pgschema.CLINICIAN_ROLE in out
    code, out, _ = run("server", "init", url)  # a second run changes nothing
    assert code == 0 and "already at version" in out
    code, out, err = run("server", "check", url)
    assert code == 0, (out, err)
    assert "PostgreSQL 1" in out and "local socket" in out and f"version {pgschema.SCHEMA_VERSION}" in out
    assert "rows cases" in out and "rows audit" in out
    # A clinician login can use it straight away (the template's logins are cluster-wide).
    with PgStore.open(pg_server.url(bare_database, pgs.CLINICIAN_LOGIN)) as store:
        store.import_cases([make_case("A")], user="Dr Ada")
    code, out, _ = run("server", "check", pg_server.url(bare_database, pgs.CLINICIAN_LOGIN))
    assert code == 0 and pgschema.CLINICIAN_ROLE in out
    assert [line for line in out.splitlines() if line.startswith("rows cases")][0].split()[-1] == "1"


def test_the_server_comes_from_the_environment_and_passwords_are_refused(run, pg_server, bare_database,
                                                                          monkeypatch):
    code, _, err = run("server", "check")
    assert code == 2 and "No clinic server given" in err
    monkeypatch.setenv("RADICULOPATHY_SERVER", pg_server.url(bare_database, pgs.SUPERUSER))
    code, out, _ = run("server", "init")
    assert code == 0 and "schema" in out
    code, _, err = run("server", "check", f"postgresql://x:{pg_server.password}@/db?host={pg_server.socket_dir}")
    assert code == 2 and "contains a password" in err and pg_server.password not in err


def test_the_server_comes_from_the_config_file_it_deploys(run, pg_server, bare_database, tmp_path):
    from radiculopathy_desktop.storage.pg.connection import config_files

    user_conf = config_files()[0]
    user_conf.parent.mkdir(parents=True, exist_ok=True)
    user_conf.write_text(f"# deployed by IT\n{pg_server.url(bare_database, pgs.SUPERUSER)}\n")
    code, out, err = run("server", "init")
    assert code == 0, err


def test_an_unreachable_server_is_said_in_words(run, pg_server, bare_database):
    url = pg_server.url(bare_database, pgs.SUPERUSER).replace(f"port={pg_server.port}", "port=1")
    code, _, err = run("server", "check", url)
    assert code == 3 and "cannot be reached" in err and "Traceback" not in err


def _local_tracker(folder: Path, cases, assessment: bool = True) -> Path:
    with CaseStore.open(folder) as local:
        local.import_cases(cases, user="dr.local")
        if assessment:
            local.save_assessment(cases[0].case_id, {"tier": "routine"}, visit_date=ANCHOR - D(days=50),
                                  content_version="2026.11.1", user="dr.local")
    return folder


def test_migrate_from_moves_everything_in_one_transaction_and_verifies(run, pg_database, tmp_path):
    folder = _local_tracker(tmp_path / "ws1", [make_case("A", visits=[{"date": ANCHOR - D(days=10), "leg_nrs": 5}]),
                                               make_case("B")])
    code, out, err = run("server", "migrate-from", str(folder), "--server", pg_database(pgs.ADMIN_LOGIN),
                         "--user", "it.lead")
    assert code == 0, err
    assert "moved: 2 cases, 1 saved assessments" in out and "SHA-256" in out
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as server, CaseStore.open(folder) as local:
        assert server.case_count() == 2
        assert server.get_case("A") == local.get_case("A")
        assert [a.assessment for a in server.assessments("A")] == [{"tier": "routine"}]
        assert {e.role for e in server.audit()} == {pgs.ADMIN_LOGIN}
        # the outcome facts were written with each case on the server (domain.outcomes)
        from radiculopathy_desktop.domain.outcomes import case_outcome_facts

        assert dict(server.outcome_facts(dt.date(2000, 1, 1), dt.date(2100, 1, 1))) == {
            cid: case_outcome_facts(server.get_case(cid), server.get_settings()) for cid in ("A", "B")}


def test_migrate_from_refuses_duplicates_and_conflicts_with_a_list(run, pg_database, tmp_path):
    with PgStore.open(pg_database(pgs.ADMIN_LOGIN)) as server:
        server.import_cases([make_case("A"), make_case("B", leg=3)], user="ws0")
    folder = _local_tracker(tmp_path / "ws2", [make_case("A"), make_case("B"), make_case("C")], assessment=False)
    code, out, err = run("server", "migrate-from", str(folder / "radiculopathy.sqlite3"),
                         "--server", pg_database(pgs.ADMIN_LOGIN))
    assert code == 2, (out, err)
    assert "Nothing was moved" in err
    assert "case A: already on the server (the same record: a duplicate)" in err
    assert "case B: already on the server with a different record" in err
    with PgStore.open(pg_database(pgs.ADMIN_LOGIN)) as server:
        assert server.case_count() == 2 and not server.has_case("C")


def test_migrate_from_a_missing_file_is_refused(run, pg_database, tmp_path):
    code, _, err = run("server", "migrate-from", str(tmp_path / "nothing"), "--server", pg_database())
    assert code == 2 and "no local tracker" in err


def test_check_reports_tls_when_the_connection_is_encrypted(run, pg_server, bare_database):
    if not pg_server.tls:
        if pgs.in_ci():
            pytest.fail("openssl is needed in CI to give the test cluster a certificate")
        pytest.skip("no openssl to make the test cluster a certificate")
    url = (f"postgresql://{pgs.SUPERUSER}@127.0.0.1:{pg_server.port}/{bare_database}?sslmode=require")
    code, out, err = run("server", "init", url)
    assert code == 0, err
    code, out, err = run("server", "check", url)
    assert code == 0, err
    assert "TLS (TLSv1" in out
    code, out, err = run("server", "check", url.replace("sslmode=require", "sslmode=disable"))
    assert code == 0 and "loopback TCP without TLS" in out  # on this machine, allowed and said


def test_the_readme_flow_an_it_admin_that_is_not_a_superuser(run, pg_server, monkeypatch, tmp_path):
    """README, Clinic server, step by step as IT follows it (PostgreSQL itself is installed by
    .ci/run): `createuser --createrole it_admin`, `createdb --owner it_admin`, the password in
    a .pgpass file, `server init` and `server check` as it_admin (no superuser); then each
    person's own login made by it_admin as README shows (`CREATE ROLE ... LOGIN IN ROLE
    radiculopathy_clinician`, then a password); two workstations connected, one with
    `--server URL`, one with the `server.conf` IT deploys; a visit from each, both seen
    from either; the audit names each person's login; `server check` counts the rows."""
    from psycopg import sql

    from radiculopathy_desktop.commands import tracker
    from radiculopathy_desktop.storage.pg.connection import config_files

    db, admin = "rad_test_readme", "rad_test_it_admin"
    people = ("rad_test_dr_ada", "rad_test_dr_ben")
    pgs.drop_database(pg_server, db)
    with psycopg.connect(pg_server.conninfo(), autocommit=True) as conn:
        for role in (*people, admin):
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN CREATEROLE PASSWORD {}").format(
            sql.Identifier(admin), sql.Literal(pg_server.password)))
        conn.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(db), sql.Identifier(admin)))
    pgpass = tmp_path / "pgpass"
    pgpass.write_text((pg_server.root / "pgpass").read_text() + f"*:*:*:{admin}:{pg_server.password}\n"
                      + "".join(f"*:*:*:{p}:{p}-secret\n" for p in people))
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    monkeypatch.setattr(tracker, "today", lambda: ANCHOR)
    try:
        code, out, err = run("server", "init", pg_server.url(db, admin))
        assert code == 0, err
        code, out, err = run("server", "check", pg_server.url(db, admin))
        assert code == 0, err
        # Each person's own login, made by it_admin (no superuser) as README shows.
        with psycopg.connect(pg_server.conninfo(db, admin), autocommit=True) as conn:
            for person in people:
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN IN ROLE radiculopathy_clinician").format(
                    sql.Identifier(person)))
                conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(  # what psql's \password sends
                    sql.Identifier(person), sql.Literal(f"{person}-secret")))
        ada, ben = (pg_server.url(db, p) for p in people)
        # Workstation 1: --server URL.
        cases = tmp_path / "cases.json"
        cases.write_text('{"cases": [' + json.dumps(case_dict("A")) + "]}")
        code, out, err = run("--server", ada, "import", str(cases))
        assert code == 0 and "1 added" in out, err
        code, out, err = run("--server", ada, "visit", "A", "--date", (ANCHOR - D(days=10)).isoformat(),
                             "--leg-nrs", "5")
        assert code == 0, err
        # Workstation 2: the server.conf IT deploys (no option given).
        user_conf = config_files()[0]
        user_conf.parent.mkdir(parents=True, exist_ok=True)
        user_conf.write_text(f"# deployed by IT\n{ben}\n")
        try:
            code, out, err = run("visit", "A", "--date", (ANCHOR - D(days=5)).isoformat(), "--leg-nrs", "3")
            assert code == 0, err
            code, out, err = run("case", "A", "--format", "json")
            assert code == 0, err
            assert [v["leg_nrs"] for v in json.loads(out)["case"]["visits"]] == [5, 3]
        finally:
            user_conf.unlink()
        with PgStore.open(ada) as store:
            assert [(e.action, e.role) for e in store.audit() if e.action == "visit_added"] == [
                ("visit_added", people[0]), ("visit_added", people[1])]
        code, out, err = run("server", "check", pg_server.url(db, admin))
        assert code == 0, err
        rows = dict(line.split()[1:] for line in out.splitlines() if line.startswith("rows "))
        assert rows["cases"] == "1" and rows["visits"] == "3"  # the intake's baseline and the two visits
    finally:
        pgs.drop_database(pg_server, db)
        with psycopg.connect(pg_server.conninfo(), autocommit=True) as conn:
            for role in (*people, admin):
                if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is None:
                    continue
                conn.execute(sql.SQL("REASSIGN OWNED BY {} TO {}").format(sql.Identifier(role),
                                                                         sql.Identifier(pgs.SUPERUSER)))
                conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
                conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def test_migrate_from_needs_an_admin_login(run, pg_database, tmp_path):
    """Moving a tracker in is an IT step: a clinician login is refused in words and nothing
    lands on the server (cases cannot be deleted there)."""
    folder = _local_tracker(tmp_path / "ws3", [make_case("A"), make_case("B")], assessment=False)
    code, out, err = run("server", "migrate-from", str(folder), "--server", pg_database(pgs.CLINICIAN_LOGIN))
    assert code == 3, (out, err)
    assert "needs an admin login" in err and pgschema.ADMIN_ROLE in err and "Nothing was moved" in err
    with PgStore.open(pg_database(pgs.ADMIN_LOGIN)) as server:
        assert server.case_count() == 0 and not server.audit()


def test_migrate_from_refuses_a_demo_cohort(run, pg_database, tmp_path):
    """The invented demo patients (`demo --cases N`) can never be moved into the clinic's
    record, even mixed with real cases and even by an admin."""
    folder = tmp_path / "ws-demo"
    code, _, err = run("--data-dir", str(folder), "demo", "--cases", "7", "--seed", "9")
    assert code == 0, err
    with CaseStore.open(folder) as local:
        local.import_cases([make_case("REAL-1")], user="dr.local")
    code, out, err = run("server", "migrate-from", str(folder), "--server", pg_database(pgs.ADMIN_LOGIN))
    assert code == 2, (out, err)
    assert "Nothing was moved: 7 case(s)" in err and "invented demo cohort" in err and "DEMO-9-0000001" in err
    assert "and 2 more" in err
    with PgStore.open(pg_database(pgs.ADMIN_LOGIN)) as server:
        assert server.case_count() == 0


def test_the_init_login_is_the_audits_trust_root_and_no_clinic_login_is(run, pg_server, tmp_path, monkeypatch):
    """What README says about who can change the audit: the IT login that ran `server init`
    (the database owner, with CREATEROLE) stays a member of the owner role, which `server
    init` upgrades and the pg_dump backups need, so it can take that role and change the
    audit; admin and clinician logins cannot take it, and hold no write privilege on it."""
    from psycopg import sql

    it_login, db = "rad_test_it_init", "rad_test_it_db"
    pgs.drop_database(pg_server, db)
    with psycopg.connect(pg_server.conninfo(), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(it_login)))
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN CREATEROLE PASSWORD {}").format(
            sql.Identifier(it_login), sql.Literal(pg_server.password)))
        conn.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(db), sql.Identifier(it_login)))
    pgpass = tmp_path / "pgpass"
    pgpass.write_text((pg_server.root / "pgpass").read_text() + f"*:*:*:{it_login}:{pg_server.password}\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    try:
        code, out, err = run("server", "init", pg_server.url(db, it_login))
        assert code == 0, err
        code, out, err = run("server", "init", pg_server.url(db, it_login))  # an upgrade run by the same login
        assert code == 0 and "already at version" in out, err
        with psycopg.connect(pg_server.conninfo(db, user=it_login)) as conn:
            assert conn.execute("SELECT pg_has_role(%s, %s, 'MEMBER')",
                                (it_login, pgschema.OWNER_ROLE)).fetchone()[0] is True
            conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(pgschema.OWNER_ROLE)))
            conn.execute("ALTER TABLE audit DISABLE TRIGGER audit_no_change")  # what README warns about
            conn.rollback()
        for login in (pgs.ADMIN_LOGIN, pgs.CLINICIAN_LOGIN):
            with psycopg.connect(pg_server.conninfo(db, user=login)) as conn:
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(pgschema.OWNER_ROLE)))
    finally:
        pgs.drop_database(pg_server, db)
        with psycopg.connect(pg_server.conninfo(), autocommit=True) as conn:
            conn.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(pgschema.OWNER_ROLE),
                                                            sql.Identifier(it_login)))
            conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(it_login)))
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(it_login)))


def _only_the_apps_message(err: str) -> None:
    assert err.count("error:") == 1 and err.startswith("error:"), err
    for raw in ("FATAL", "connection failed", "error connecting in", "Is the server running", "Traceback"):
        assert raw not in err, err


def test_server_check_names_the_cause_of_a_failed_connection(run, pg_server, pg_database, tmp_path, monkeypatch):
    """IT's diagnostic tells apart a wrong password, a missing password, a database that does
    not exist and a server that does not answer, each in one plain message."""
    wrong = tmp_path / "pgpass-wrong"
    wrong.write_text(f"*:*:*:{pgs.ADMIN_LOGIN}:WRONG\n")
    wrong.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(wrong))
    code, _, err = run("server", "check", pg_database(pgs.ADMIN_LOGIN))
    assert code == 3 and f"rejected the password of the login {pgs.ADMIN_LOGIN}" in err and "~/.pgpass" in err
    _only_the_apps_message(err)

    monkeypatch.setenv("PGPASSFILE", str(pg_server.root / "pgpass"))
    code, _, err = run("server", "check", pg_server.url("rad_test_no_such_db", pgs.ADMIN_LOGIN))
    assert code == 3 and "has no database named rad_test_no_such_db" in err
    _only_the_apps_message(err)

    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    tcp = f"postgresql://{pgs.ADMIN_LOGIN}@127.0.0.1:{pg_server.port}/{pg_database.dbname}"
    code, _, err = run("server", "check", tcp)  # no terminal here: no prompt
    assert code == 3 and "needs a password" in err and "none was found" in err
    _only_the_apps_message(err)

    down = pg_database(pgs.ADMIN_LOGIN).replace(f"port={pg_server.port}", "port=1")
    code, _, err = run("server", "check", down)
    assert code == 3 and "cannot be reached: no answer" in err and "not running" in err
    _only_the_apps_message(err)


def test_a_read_only_command_on_an_unreachable_server_says_nothing_was_read(run, pg_server, pg_database):
    down = pg_database(pgs.CLINICIAN_LOGIN).replace(f"port={pg_server.port}", "port=1")
    for argv in (["--server", down, "worklist"], ["--server", down, "case", "A"]):
        code, out, err = run(*argv)
        assert code == 3 and out == ""
        assert "cannot be reached" in err and "Nothing was read" in err and "Nothing was saved" not in err
        _only_the_apps_message(err)
