"""Two workstations (two processes, two logins) writing to one clinic server at once, with a
server restart in the middle: every save a workstation reported is on the server exactly
once, and the audit names the login that made it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import pg_server as pgs
from radiculopathy_desktop.storage.pg.store import PgStore

from tracker_support import ANCHOR, make_case

ROOT = Path(__file__).resolve().parents[2]
WORKER = textwrap.dedent("""
    import datetime as dt, sys
    from radiculopathy_desktop.domain.intake import FollowUpVisit
    from radiculopathy_desktop.storage.db import StorageError
    from radiculopathy_desktop.storage.pg.store import PgStore

    url, name, first, count, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    anchor = dt.date.fromisoformat(sys.argv[6])
    with open(out, "a", buffering=1) as log, PgStore.open(url, timeout_s=30) as store:
        for i in range(count):
            day = anchor - dt.timedelta(days=49 - first - 2 * i)
            for case_id in ("SHARED", name):
                try:
                    store.add_visit(case_id, FollowUpVisit(date=day, leg_nrs=i % 11), user=name)
                    log.write(f"ok {case_id} {day.isoformat()}\\n")
                except StorageError as exc:
                    log.write(f"refused {case_id} {day.isoformat()} {exc.kind}\\n")
""")


def _lines(path: Path) -> list[list[str]]:
    return [line.split() for line in path.read_text().splitlines()] if path.exists() else []


@pytest.mark.slow
def test_two_workstations_and_a_server_restart_lose_nothing(pg_server, pg_database, tmp_path):
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as store:
        store.import_cases([make_case("SHARED"), make_case("ws1"), make_case("ws2")], user="setup")
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PGPASSFILE": str(pg_server.root / "pgpass")}
    logs = {"ws1": tmp_path / "ws1.log", "ws2": tmp_path / "ws2.log"}
    logins = {"ws1": pgs.CLINICIAN_LOGIN, "ws2": pgs.OTHER_CLINICIAN_LOGIN}
    procs = [subprocess.Popen([sys.executable, str(script), pg_database(logins[name]), name, str(n), "20",
                               str(logs[name]), ANCHOR.isoformat()], env=env, cwd=str(tmp_path))
             for n, name in enumerate(("ws1", "ws2"))]
    # Restart the server once both have saved something (not on a timer: the machine is loaded).
    deadline = time.monotonic() + 600
    while not all(len(_lines(p)) >= 3 for p in logs.values()):
        assert time.monotonic() < deadline and all(p.poll() in (None, 0) for p in procs), "a workstation failed"
        time.sleep(0.05)
    pg_server.restart()
    for p in procs:
        assert p.wait(timeout=600) == 0
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as store:
        stored = {cid: [v.date.isoformat() for v in store.get_case(cid).visits] for cid in ("SHARED", "ws1", "ws2")}
        audit = store.audit()
    figures = {"reported": 0, "refused": 0}
    for name, path in logs.items():
        for status, case_id, day, *_ in _lines(path):
            found = stored[case_id].count(day)
            if status == "ok":
                figures["reported"] += 1
                assert found == 1, (name, case_id, day, found)  # reported saved: there exactly once
            else:
                figures["refused"] += 1
                assert found <= 1, (name, case_id, day, found)  # refused: never twice
            role = [e.role for e in audit if e.case_id == case_id and e.action == "visit_added"
                    and e.detail["date"] == day]
            assert role == ([logins[name]] if found else []), (case_id, day, role)
    assert figures["reported"] > 0
    print(json.dumps(figures))


# --------------------------------------------------------------------------- the write key: saved exactly once
def _visit(day_offset: int, leg: int = 3):
    import datetime as dt
    from radiculopathy_desktop.domain.intake import FollowUpVisit
    return FollowUpVisit(date=ANCHOR - dt.timedelta(days=day_offset), leg_nrs=leg)


def _terminate_backends(pg_server, dbname: str, login: str) -> int:
    """Drop every connection ``login`` has to ``dbname`` (what a failing network or a server
    admin's pg_terminate_backend does); the number dropped."""
    import psycopg
    with psycopg.connect(pg_server.conninfo("postgres"), autocommit=True) as su:
        return len(su.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = %s AND usename = %s", (dbname, login)).fetchall())


def test_a_visit_sent_again_after_the_connection_dropped_is_stored_once(pg_server, pg_database):
    """The server committed, then the connection dropped before the answer arrived: the
    workstation sends the same visit again with its write key, on a new connection."""
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as store:
        store.import_cases([make_case("K1")], user="setup")
        store.add_visit("K1", _visit(10, 4), user="Dr Ann", write_key="a" * 32)
        assert _terminate_backends(pg_server, pg_database.dbname, pgs.CLINICIAN_LOGIN) >= 1
        again = store.add_visit("K1", _visit(10, 4), user="Dr Ann", write_key="a" * 32)
        assert again.case_ids == ("K1",) and again.case is not None
        assert [v.leg_nrs for v in store.get_case("K1").visits] == [4]
        audit = [e for e in store.audit("K1") if e.action == "visit_added"]
    assert [(e.detail["write_key"], e.role) for e in audit] == [("a" * 32, pgs.CLINICIAN_LOGIN)]


def test_two_workstations_sending_the_same_write_key_at_once_store_it_once(pg_database):
    """The same kept visit replayed from two places at the same moment (the user's two
    windows): the case row's lock makes the second wait for the first, then find it."""
    import threading
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as a, PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as b:
        a.import_cases([make_case("K1")], user="setup")
        barrier = threading.Barrier(2)
        errors = []

        def send(store):
            try:
                barrier.wait(timeout=60)
                store.add_visit("K1", _visit(8, 6), user="Dr Ann", write_key="d" * 32)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=send, args=(s,)) for s in (a, b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert errors == [] and not any(t.is_alive() for t in threads)
        assert [v.leg_nrs for v in a.get_case("K1").visits if v.date == _visit(8).date] == [6]
        assert len([e for e in a.audit("K1") if e.detail.get("write_key") == "d" * 32]) == 1


# --------------------------------------------------------------------------- settings changed elsewhere
def test_review_settings_changed_on_one_workstation_are_used_by_the_other_at_once(pg_database):
    """B keeps its settings in memory; A (an admin's Settings) changes them: B's next read, and
    the worklist it computes with them, use A's values; and back to the defaults."""
    import datetime as dt
    with PgStore.open(pg_database(pgs.ADMIN_LOGIN)) as a, PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as b:
        # day 88 of care with no decision: past the default 84-day window, inside a 90-day one
        a.import_cases([make_case("S1", care_start=ANCHOR - dt.timedelta(days=88))], user="setup")
        assert b.get_settings().window_end_day == 84
        assert b.get_settings() is b.get_settings()  # unchanged: kept, not parsed again
        before = {r.case_id: r.status for r in b.worklist(ANCHOR)}
        a.set_settings({"window_end_day": 90}, user="IT admin")
        assert b.get_settings().window_end_day == 90
        after = {r.case_id: r.status for r in b.worklist(ANCHOR)}
        assert before != after  # the worklist B shows follows the clinic's new window
        a.set_settings({"window_end_day": 84}, user="IT admin")
        assert b.get_settings().window_end_day == 84
        assert {r.case_id: r.status for r in b.worklist(ANCHOR)} == before
