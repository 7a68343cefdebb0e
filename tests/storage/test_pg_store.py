"""What only the clinic server has: roles and permissions, the audit written by the
server naming the login, row versions, two workstations at once, a server that is
not there. The store's ordinary behaviour is tested on both engines by test_store.py
and the worklist tests."""

from __future__ import annotations

import datetime as dt
import threading

import psycopg
import pytest

import pg_server as pgs
from radiculopathy_desktop.domain.clinic import MAX_NAME, ClinicSettings, ClinicSettingsError
from radiculopathy_desktop.domain.intake import Decision, FollowUpVisit
from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.storage import schema as sqlite_schema
from radiculopathy_desktop.storage.db import StorageError
from radiculopathy_desktop.storage.pg import schema as pgschema
from radiculopathy_desktop.storage.pg.connection import check_target
from radiculopathy_desktop.storage.pg.store import PgStore

from tracker_support import ANCHOR, make_case

D = dt.timedelta


def _raw(pg_server, dbname, login=pgs.CLINICIAN_LOGIN):
    """A plain connection as a login, to try what a client could do around the app."""
    return psycopg.connect(pg_server.conninfo(dbname, user=login))


def test_one_version_history_for_both_engines():
    assert pgschema.migration_names() == sqlite_schema.migration_names()
    assert pgschema.SCHEMA_VERSION == sqlite_schema.SCHEMA_VERSION
    # SQLite's entry_counter (m007) is the server's sequence entry_order
    assert set(pgschema.TABLES) | {pgschema.VERSION_TABLE} == \
        (sqlite_schema.REQUIRED_TABLES - {sqlite_schema.MIGRATIONS_TABLE, "entry_counter"}) | {pgschema.VERSION_TABLE}


def test_audit_names_the_login_and_no_login_may_change_it(pg_database, pg_server):
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as store:
        store.import_cases([make_case("A")], user="Dr Ada")
        store.add_visit("A", FollowUpVisit(date=ANCHOR - D(days=10), leg_nrs=5), user="Dr Ada")
        entries = store.audit("A")
    assert [(e.action, e.user, e.role) for e in entries] == [
        ("case_added", "Dr Ada", pgs.CLINICIAN_LOGIN), ("visit_added", "Dr Ada", pgs.CLINICIAN_LOGIN)]
    for login in (pgs.CLINICIAN_LOGIN, pgs.ADMIN_LOGIN):
        for statement in ("UPDATE audit SET \"user\" = 'someone else'", "DELETE FROM audit", "TRUNCATE audit",
                          "INSERT INTO audit (\"user\", action) VALUES ('x', 'case_added')"):
            with _raw(pg_server, pg_database.dbname, login) as conn:
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(statement)
    # Not even the owner or a superuser changes it without first dropping its triggers.
    with psycopg.connect(pg_server.conninfo(pg_database.dbname)) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            conn.execute("DELETE FROM audit")
    with psycopg.connect(pg_server.conninfo(pg_database.dbname)) as conn:
        for role in (pgschema.CLINICIAN_ROLE, pgschema.ADMIN_ROLE, pgs.CLINICIAN_LOGIN, pgs.ADMIN_LOGIN):
            for privilege in ("INSERT", "UPDATE", "DELETE", "TRUNCATE"):
                assert conn.execute("SELECT has_table_privilege(%s, 'audit', %s)", (role, privilege)).fetchone()[0] \
                    is False, (role, privilege)


def test_a_client_cannot_skip_the_audit(pg_database, pg_server):
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as store:
        store.import_cases([make_case("A")], user="Dr Ada")
    dbname = pg_database.dbname
    with _raw(pg_server, dbname) as conn:  # a change to the case row by hand is audited with the login
        conn.execute("UPDATE cases SET side = 'right' WHERE case_id = 'A'")
    # A visit slipped in without its case row is refused at commit.
    conn = _raw(pg_server, dbname)
    conn.execute("INSERT INTO visits (case_id, visit_date, is_baseline, treatments_json, red_flags_json, power_json) "
                 "VALUES ('A', '2026-05-01', 0, '[]', '{}', '{}')")
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="together with their case"):
        conn.commit()
    conn.close()
    # Claiming a derived update does not hide a change to what a clinician recorded (the latest
    # score; since m013 the baseline is derived from the intake's day, pg21: see
    # test_pg_derived_recompute_audit.py, where a visit change under it is refused).
    with _raw(pg_server, dbname) as conn:
        conn.execute("SELECT set_config('radiculopathy.audit', '{\"action\": \"derived\"}', true)")
        conn.execute("UPDATE cases SET latest_leg_nrs = 2 WHERE case_id = 'A'")
    with _raw(pg_server, dbname) as conn:
        conn.execute("SELECT set_config('radiculopathy.audit', '{\"action\": \"derived\"}', true)")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="derived update"):
            conn.execute("UPDATE case_documents SET case_json = case_json WHERE case_id = 'A'")
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as store:
        entries = store.audit("A")
    assert [(e.action, e.role) for e in entries] == [("case_added", pgs.CLINICIAN_LOGIN),
                                                      ("case_updated", pgs.CLINICIAN_LOGIN),
                                                      ("case_updated", pgs.CLINICIAN_LOGIN)]
    with _raw(pg_server, dbname) as conn:  # access events: only the audited actions
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT radiculopathy_record_access('x', 'case_deleted', 'A', '{}')")


def test_settings_need_an_admin_login(pg_database):
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as store:
        with pytest.raises(StorageError, match="admin login") as caught:
            store.set_settings({"window_end_day": 70}, user="Dr Ada")
        assert caught.value.kind == "permission"
        with pytest.raises(StorageError):
            store.set_clinic_name("Clinic", user="Dr Ada")
        assert store.get_settings().window_end_day != 70
    with PgStore.open(pg_database(pgs.ADMIN_LOGIN)) as admin:
        admin.set_clinic_settings(ClinicSettings(name="Invented Spine Clinic", address="1 High St", country="uk"),
                                  user="lead")
        assert admin.clinic_settings() == ClinicSettings(name="Invented Spine Clinic", address="1 High St",
                                                         country="uk")
        assert admin.audit()[-1].action == "settings_changed" and admin.audit()[-1].role == pgs.ADMIN_LOGIN
        with pytest.raises(ClinicSettingsError, match="clinic_name is longer than"):
            admin.set_clinic_settings(ClinicSettings(name="x" * (MAX_NAME + 1)), user="lead")


def test_a_save_based_on_an_older_version_is_refused_with_who_and_when(pg_database):
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as mine, \
            PgStore.open(pg_database(pgs.OTHER_CLINICIAN_LOGIN)) as theirs:
        mine.import_cases([make_case("A")], user="Dr Ada")
        opened = mine.case_revision("A")
        theirs.add_visit("A", FollowUpVisit(date=ANCHOR - D(days=5), leg_nrs=4), user="Dr Ben")
        edited = make_case("A", leg=9)
        with pytest.raises(StorageError) as caught:
            mine.save_case(edited, user="Dr Ada", based_on_revision=opened)
        assert caught.value.kind == "conflict"
        message = str(caught.value)
        assert "changed by Dr Ben" in message and "UTC" in message and "Nothing was saved" in message
        assert mine.get_case("A").intake.leg_nrs == 7 and len(mine.get_case("A").visits) == 1
        # Reloaded: the save goes through and the version moves on.
        current = mine.case_revision("A")
        mine.save_case(edited, user="Dr Ada", based_on_revision=current)
        assert mine.get_case("A").intake.leg_nrs == 9 and mine.case_revision("A") == current + 1


def test_visits_and_decisions_added_at_once_by_two_workstations_both_land(pg_database):
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as a, \
            PgStore.open(pg_database(pgs.OTHER_CLINICIAN_LOGIN)) as b:
        a.import_cases([make_case("A", care_start=ANCHOR - D(days=60)), make_case("B")], user="Dr Ada")
        start = threading.Barrier(4)
        errors: list[BaseException] = []

        def run(fn):
            try:
                start.wait()
                fn()
            except BaseException as exc:  # reported below
                errors.append(exc)

        jobs = [
            lambda: a.add_visit("A", FollowUpVisit(date=ANCHOR - D(days=3), leg_nrs=5), user="Dr Ada"),
            lambda: b.add_visit("A", FollowUpVisit(date=ANCHOR - D(days=2), leg_nrs=4), user="Dr Ben"),
            lambda: b.record_decision("A", Decision(ANCHOR - D(days=1), "continue_conservative_care",
                                                    until=ANCHOR + D(days=14)), user="Dr Ben"),
            lambda: a.add_visit("B", FollowUpVisit(date=ANCHOR - D(days=1), leg_nrs=6), user="Dr Ada"),
        ]
        threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors
        case = a.get_case("A")
        assert sorted(v.leg_nrs for v in case.visits) == [4, 5]
        assert [d.kind for d in case.decisions] == ["continue_conservative_care"]
        assert [v.leg_nrs for v in a.get_case("B").visits] == [6]
        actions = sorted((e.action, e.role) for e in a.audit("A"))
        assert actions.count(("visit_added", pgs.CLINICIAN_LOGIN)) == 1
        assert actions.count(("visit_added", pgs.OTHER_CLINICIAN_LOGIN)) == 1
        assert actions.count(("decision_recorded", pgs.OTHER_CLINICIAN_LOGIN)) == 1


def test_drafts_belong_to_the_login_that_typed_them(pg_database):
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as a, \
            PgStore.open(pg_database(pgs.OTHER_CLINICIAN_LOGIN)) as b:
        a.save_draft("intake:new", {"step": 2})
        assert b.load_draft("intake:new") is None and b.list_drafts() == []
        assert a.load_draft("intake:new") == {"step": 2}


def test_read_only_switch_refuses_writes(pg_database):
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as store:
        store.set_read_only(True)
        with pytest.raises(StorageError) as caught:
            store.import_cases([make_case("A")])
        assert caught.value.kind == "read_only"
        store.set_read_only(False)
        store.import_cases([make_case("A")])
        assert store.quick_check() == ["ok"] and store.journal_mode() == "server"
        assert store.engine == "postgresql"
        assert store.location_label() == f"Clinic server local socket/{pg_database.dbname}"


def test_a_database_without_the_schema_or_a_server_that_is_down(pg_server, pg_database, monkeypatch):
    empty = "rad_test_empty"
    with psycopg.connect(pg_server.conninfo(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {empty}")
    try:
        with pytest.raises(StorageError, match="server init") as caught:
            PgStore.open(pg_server.url(empty, pgs.SUPERUSER))
        assert caught.value.kind == "not_a_database"
    finally:
        pgs.drop_database(pg_server, empty)
    with pytest.raises(StorageError, match="cannot be reached") as caught:
        PgStore.open(pg_server.url(pg_database.dbname, pgs.CLINICIAN_LOGIN).replace(str(pg_server.port), "1"),
                     timeout_s=2)
    assert caught.value.kind == "unreachable"


def test_the_store_does_not_log_patient_identifiers(pg_database, caplog):
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as store:
        store.import_cases([make_case("CASE-SECRET", name="Zebedee Quillfeather", patient_id="MRN-SECRET")])
        store.add_visit("CASE-SECRET", FollowUpVisit(date=ANCHOR, leg_nrs=3), user="Dr Ada")
        with pytest.raises(UserError):
            store.import_cases([make_case("CASE-SECRET"), make_case("CASE-SECRET")])
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "SECRET" not in text and "Zebedee" not in text and "Quillfeather" not in text


@pytest.mark.parametrize("url, problem", [
    ("postgresql://dr@db.clinic.example/rad?password=hunter2", "contains a password"),
    ("postgresql://dr:hunter2@db.clinic.example/rad", "contains a password"),
    ("postgresql://dr@db.clinic.example/rad?sslmode=disable", "must be encrypted"),
    ("postgresql://dr@db.clinic.example/rad?sslmode=prefer", "must be encrypted"),
    ("not a url at all ===", "not a valid"),
])
def test_unsafe_server_addresses_are_refused_before_connecting(url, problem):
    with pytest.raises(UserError, match=problem):
        check_target(url)


def test_tls_is_required_only_off_this_machine():
    from psycopg.conninfo import conninfo_to_dict

    remote = check_target("postgresql://dr@db.clinic.example/rad")
    assert conninfo_to_dict(remote.conninfo)["sslmode"] == "verify-full" and not remote.local
    assert remote.label == "Clinic server db.clinic.example/rad"
    for local in ("postgresql://dr@localhost/rad", "postgresql://dr@127.0.0.1/rad", "postgresql://dr@[::1]/rad",
                  "postgresql://dr@/rad?host=/var/run/postgresql"):
        target = check_target(local)
        assert target.local and "sslmode" not in conninfo_to_dict(target.conninfo), local
    assert check_target("postgresql://dr@db.clinic.example/rad?sslmode=require").local is False


def test_the_server_store_has_the_local_stores_public_api():
    """One contract, two engines: every public method of the SQLite store exists on the
    server store with the same parameters (``open`` and ``data_dir`` are the engine's own)."""
    import inspect

    from radiculopathy_desktop.storage.store import CaseStore

    engine_specific = {"open", "data_dir"}
    problems = []
    for name, member in inspect.getmembers(CaseStore):
        if name.startswith("_") or name in engine_specific:
            continue
        if not hasattr(PgStore, name):
            problems.append(f"missing {name}")
        elif callable(member) and list(inspect.signature(member).parameters) != \
                list(inspect.signature(getattr(PgStore, name)).parameters):
            problems.append(f"{name}: {inspect.signature(member)} vs {inspect.signature(getattr(PgStore, name))}")
    assert not problems, problems


def test_a_server_restart_loses_no_reported_save_and_the_store_reconnects(pg_server, pg_database):
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as store:
        store.import_cases([make_case("A")], user="Dr Ada")
        store.add_visit("A", FollowUpVisit(date=ANCHOR - D(days=20), leg_nrs=6), user="Dr Ada")
        pg_server.restart()
        # The pooled connection died with the server: the next operation reconnects.
        store.add_visit("A", FollowUpVisit(date=ANCHOR - D(days=10), leg_nrs=5), user="Dr Ada")
        assert [v.leg_nrs for v in store.get_case("A").visits] == [6, 5]
        assert [e.action for e in store.audit("A")] == ["case_added", "visit_added", "visit_added"]


def test_a_save_while_the_server_is_down_is_refused_in_words_and_not_half_made(pg_server, pg_database):
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN), timeout_s=3) as store:
        store.import_cases([make_case("A")], user="Dr Ada")
        pg_server.stop()
        try:
            with pytest.raises(StorageError, match="cannot be reached") as caught:
                store.add_visit("A", FollowUpVisit(date=ANCHOR - D(days=10), leg_nrs=5), user="Dr Ada")
            assert caught.value.kind == "unreachable"
        finally:
            pg_server.start_again()
        assert store.get_case("A").visits == ()
        store.add_visit("A", FollowUpVisit(date=ANCHOR - D(days=10), leg_nrs=5), user="Dr Ada")
        assert [v.leg_nrs for v in store.get_case("A").visits] == [5]


def test_the_server_store_satisfies_the_store_contract_and_audits_the_same_actions():
    """The contract (storage/contract.py) is what the window and the commands may use: the
    server store has every member of it, and its audit function takes exactly the actions
    the local store records."""
    import inspect

    from radiculopathy_desktop.storage.contract import Store
    from radiculopathy_desktop.storage.pg.schema import AUDITED_ACCESS_ACTIONS
    from radiculopathy_desktop.storage.store import CaseStore

    members = [n for n in dir(Store) if not n.startswith("_") or n in ("__enter__", "__exit__")]
    missing = [n for n in members if not hasattr(PgStore, n)]
    assert not missing, missing
    for name in members:
        contract, engine = getattr(Store, name), getattr(PgStore, name)
        if callable(contract) and callable(engine) and not isinstance(engine, property):
            assert list(inspect.signature(contract).parameters) == list(inspect.signature(engine).parameters), name
    assert set(AUDITED_ACCESS_ACTIONS) - {"import"} == set(CaseStore.AUDITED_ACTIONS)  # import: the import summary


@pytest.mark.parametrize("url", [
    # libpq connects to hostaddr; host only picks the .pgpass line and names the server for TLS
    "postgresql://dr@localhost/rad?hostaddr=192.0.2.2&sslmode=disable",
    "postgresql://dr@localhost/rad?hostaddr=192.0.2.2",
    "host=localhost hostaddr=192.0.2.2 dbname=rad user=dr",
    # several hosts: libpq tries each in turn, so every one must be on this machine
    "postgresql://dr@localhost,db.clinic.example/rad",
    "host=/var/run/postgresql,db.clinic.example dbname=rad user=dr sslmode=disable",
    "host=localhost,localhost hostaddr=127.0.0.1,192.0.2.2 dbname=rad user=dr",
    "hostaddr=::1,2001:db8::1 dbname=rad user=dr",
    # the address is in a service file this check cannot see
    "service=clinic dbname=rad user=dr",
])
def test_a_target_is_local_only_when_every_host_and_hostaddr_is(url):
    """The TLS rule cannot be bypassed by hostaddr, a second host, or a service file: without
    sslmode the connection gets verify-full, and a weak sslmode is refused."""
    from psycopg.conninfo import conninfo_to_dict

    if "sslmode=disable" in url:
        with pytest.raises(UserError, match="must be encrypted"):
            check_target(url)
        return
    target = check_target(url)
    assert not target.local and conninfo_to_dict(target.conninfo)["sslmode"] == "verify-full", url
    with pytest.raises(UserError, match="must be encrypted"):
        sep = (" " if not url.startswith("postgresql:") else "&" if "?" in url else "?")
        check_target(url + sep + "sslmode=prefer")


@pytest.mark.parametrize("url", [
    "postgresql://dr@localhost/rad?hostaddr=127.0.0.1",
    "postgresql://dr@[::1]/rad",
    "hostaddr=::1 dbname=rad user=dr",
    "host=localhost,/var/run/postgresql hostaddr=127.0.0.1, dbname=rad user=dr",
    "host=/tmp/pgsocket dbname=rad user=dr",
    "postgresql://dr@localhost,127.0.0.2/rad",
])
def test_loopback_addresses_and_socket_folders_stay_local(url, monkeypatch):
    from psycopg.conninfo import conninfo_to_dict

    target = check_target(url)
    assert target.local and "sslmode" not in conninfo_to_dict(target.conninfo), url


def test_the_environment_address_counts_too(monkeypatch):
    monkeypatch.setenv("PGHOSTADDR", "192.0.2.2")
    with pytest.raises(UserError, match="must be encrypted"):
        check_target("postgresql://dr@localhost/rad?sslmode=disable")
    monkeypatch.setenv("PGHOSTADDR", "127.0.0.1")
    assert check_target("postgresql://dr@localhost/rad?sslmode=disable").local
