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
