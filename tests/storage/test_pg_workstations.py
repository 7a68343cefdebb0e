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
#: One workstation as a separate process with its own login: visits on the shared case and
#: on its own, and now and then a decision on each. Like the window, each write gets a write
#: key when it is typed and, when the server cannot be reached (a restart, a dropped
#: connection) or finds the case locked by another workstation's save, is sent again with the
#: same key until it is saved. Every fifth visit on its own
#: case goes through the `visit` command instead (no key, no resend: "cli-failed" when it
#: exits non-zero). Every outcome is logged: "ok KIND CASE DATE KEY" once reported saved
#: ("-" for the command's), "retry ..." for each resend.
WORKER = textwrap.dedent("""
    import datetime as dt, sys, time, uuid
    from radiculopathy_desktop.domain.intake import Decision, FollowUpVisit
    from radiculopathy_desktop.storage.db import StorageError
    from radiculopathy_desktop.storage.pg.store import PgStore

    url, name, first, count, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    anchor = dt.date.fromisoformat(sys.argv[6])
    with open(out, "a", buffering=1) as log, PgStore.open(url, timeout_s=30) as store:
        def save(kind, case_id, day, write):
            key = uuid.uuid4().hex
            for _ in range(600):
                try:
                    write(key)
                except StorageError as exc:
                    # unreachable (a restart, a dropped connection) or locked (another
                    # workstation held the case past the lock timeout, on a loaded machine):
                    # nothing was saved, and the window keeps the key for the user's retry
                    if exc.kind not in ("unreachable", "locked"):
                        log.write(f"refused {kind} {case_id} {day.isoformat()} {key} {exc.kind}\\n")
                        return
                    log.write(f"retry {kind} {case_id} {day.isoformat()} {key}\\n")
                    time.sleep(0.1)
                    continue
                log.write(f"ok {kind} {case_id} {day.isoformat()} {key}\\n")
                return
            log.write(f"gave-up {kind} {case_id} {day.isoformat()} {key}\\n")

        def cli_visit(case_id, day, leg):
            # the app's own command, in this process, with this workstation's login
            from radiculopathy_desktop import cli
            code = cli.main(["--server", url, "visit", case_id, "--date", day.isoformat(), "--leg-nrs", str(leg)])
            log.write(f"{'ok' if code == 0 else 'cli-failed'} visit {case_id} {day.isoformat()} - {code}\\n")

        for i in range(count):
            day = anchor - dt.timedelta(days=49 - first - 2 * i)
            for case_id in ("SHARED", name):
                if case_id == name and i % 5 == 1:
                    cli_visit(case_id, day, i % 11)
                else:
                    save("visit", case_id, day, lambda key: store.add_visit(
                        case_id, FollowUpVisit(date=day, leg_nrs=i % 11), user=name, write_key=key))
                if i % 4 == 3:
                    save("decision", case_id, day, lambda key: store.record_decision(
                        case_id, Decision(date=day, kind="continue_conservative_care",
                                          until=day + dt.timedelta(days=28), by=name), user=name, write_key=key))
""")


def _lines(path: Path) -> list[list[str]]:
    return [line.split() for line in path.read_text().splitlines()] if path.exists() else []


def _saved(path: Path) -> int:
    return sum(1 for line in _lines(path) if line[0] == "ok")


@pytest.mark.slow
def test_two_workstations_and_a_server_restart_lose_nothing(pg_server, pg_database, tmp_path):
    """Two workstation processes, each with its own login, add visits and decisions to the same
    case and to their own at once; meanwhile a third edits the shared case from an old copy
    (refused: changed by whom), the server restarts (pg_ctl restart) and both workstations'
    connections are dropped (pg_terminate_backend). In the end every write a workstation
    reported saved is on the server exactly once, nothing is lost, and the audit names the
    login of the workstation that made each one."""
    from radiculopathy_desktop.storage.db import StorageError

    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as store:
        store.import_cases([make_case("SHARED"), make_case("ws1"), make_case("ws2")], user="setup")
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PGPASSFILE": str(pg_server.root / "pgpass")}
    logs = {"ws1": tmp_path / "ws1.log", "ws2": tmp_path / "ws2.log"}
    logins = {"ws1": pgs.CLINICIAN_LOGIN, "ws2": pgs.OTHER_CLINICIAN_LOGIN}
    count = 20
    procs = []
    for n, name in enumerate(("ws1", "ws2")):
        with (tmp_path / f"{name}.err").open("w") as err:  # the child keeps its own copy of the handle
            procs.append(subprocess.Popen([sys.executable, str(script), pg_database(logins[name]), name, str(n),
                                           str(count), str(logs[name]), ANCHOR.isoformat()], env=env,
                                          cwd=str(tmp_path), stdout=subprocess.DEVNULL, stderr=err))
    deadline = time.monotonic() + 900  # a bound for a loaded machine, not a figure checked

    def wait_for(condition, what):
        # On what the workstations have done, never on a timer: the machine is loaded.
        while not condition():
            assert time.monotonic() < deadline, f"waited too long for {what}"
            assert all(p.poll() in (None, 0) for p in procs), \
                "a workstation failed: " + " ".join(p.read_text() for p in tmp_path.glob("*.err"))
            time.sleep(0.05)

    wait_for(lambda: all(_saved(p) >= 3 for p in logs.values()), "the first saves")
    # A conflicting edit: a whole-case save based on a copy read before the workstations' next write.
    with PgStore.open(pg_database(pgs.ADMIN_LOGIN)) as editor:
        revision = editor.case_revision("SHARED")
        stale = editor.get_case("SHARED")
        wait_for(lambda: editor.case_revision("SHARED") > revision, "a write to the shared case")
        with pytest.raises(StorageError) as refused:
            editor.save_case(stale, user="Dr Editor", based_on_revision=revision)
        assert refused.value.kind == "conflict" and "ws" in str(refused.value)
        assert "login rad_test_clinician" in str(refused.value)  # who: the workstation's authenticated login
    pg_server.restart()
    after_restart = {name: _saved(path) for name, path in logs.items()}
    wait_for(lambda: all(_saved(logs[n]) >= after_restart[n] + 3 for n in logs), "saves after the restart")
    dropped = sum(pgs.terminate_backends(pg_server, pg_database.dbname, logins[n]) for n in logs)
    assert dropped >= 1  # the workstations were still connected (each has writes left to make)
    for p in procs:
        while p.poll() is None:
            assert time.monotonic() < deadline, "a workstation did not finish"
            time.sleep(0.1)
        assert p.returncode == 0

    with PgStore.open(pg_database(pgs.ADMIN_LOGIN)) as store:
        cases = {cid: store.get_case(cid) for cid in ("SHARED", "ws1", "ws2")}
        everything = store.audit()
        audit = [e for e in everything if e.detail.get("write_key")]
    by_key: dict[str, list] = {}
    for entry in audit:
        by_key.setdefault(entry.detail["write_key"], []).append(entry)
    figures = {"saved": 0, "resent": 0, "command": 0, "command_failed": 0, "dropped_connections": dropped}
    visits_found: dict[str, int] = {cid: 0 for cid in cases}
    for name, path in logs.items():
        outcomes = {}
        for status, kind, case_id, day, key, *_ in _lines(path):
            if status == "retry":
                figures["resent"] += 1
                continue
            outcomes[(kind, case_id, day)] = (status, key)
        # nothing lost: every write sent with a key was reported saved in the end
        expected = count * 2 + 2 * (count // 4)
        assert len(outcomes) == expected, (name, len(outcomes))
        assert {s for (s, key) in outcomes.values() if key != "-"} == {"ok"}, (name, outcomes)
        for (kind, case_id, day), (status, key) in outcomes.items():
            action = "visit_added" if kind == "visit" else "decision_recorded"
            records = cases[case_id].visits if kind == "visit" else cases[case_id].decisions
            found = [r.date.isoformat() for r in records].count(day)  # this workstation's dates are its own
            if kind == "visit":
                visits_found[case_id] += found
            if key == "-":  # the command: no key; its audit entry is found by case, action and date
                entries = [e for e in everything if e.action == action and e.case_id == case_id
                           and e.detail.get("date") == day]
                figures["command"] += 1
            else:
                entries = by_key.get(key, [])
            if status == "ok":
                figures["saved"] += 1
                assert found == 1, (name, kind, case_id, day, found)  # reported saved: there exactly once
                assert [(e.action, e.case_id, e.role) for e in entries] == [(action, case_id, logins[name])]
            else:
                figures["command_failed"] += 1
                assert found <= 1 and len(entries) == found, (name, kind, case_id, day)  # never twice
    assert len(by_key) == figures["saved"] - sum(1 for path in logs.values() for line in _lines(path)
                                                 if line[0] == "ok" and line[4] == "-")  # nothing unreported
    # Nothing besides: every visit on the server is one a workstation sent. A `visit` command
    # that reported failure (the server restarting under it) may have landed once or not at
    # all, so the counts are those found for the writes, not a fixed number.
    assert {cid: len(c.visits) for cid, c in cases.items()} == visits_found
    assert visits_found["SHARED"] == 2 * count  # the shared case is written with keys only: all there
    print(json.dumps(figures))


# --------------------------------------------------------------------------- the write key: saved exactly once
def _visit(day_offset: int, leg: int = 3):
    import datetime as dt
    from radiculopathy_desktop.domain.intake import FollowUpVisit
    return FollowUpVisit(date=ANCHOR - dt.timedelta(days=day_offset), leg_nrs=leg)


def test_a_visit_sent_again_after_the_connection_dropped_is_stored_once(pg_server, pg_database):
    """The server committed, then the connection dropped before the answer arrived: the
    workstation sends the same visit again with its write key, on a new connection."""
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as store:
        store.import_cases([make_case("K1")], user="setup")
        store.add_visit("K1", _visit(10, 4), user="Dr Ann", write_key="a" * 32)
        assert pgs.terminate_backends(pg_server, pg_database.dbname, pgs.CLINICIAN_LOGIN) >= 1
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
