"""The one-time rewrite of every case's stored marks (DOSE_ALERTS_VERSION, wl17/H-MED-260) at the
first open after an upgrade, stopped part way (the program killed, the machine switched off, an
error): nothing recorded is lost or changed, the old derived rows stand until the rewrite runs
again whole at the next open, and then the marks are the ones a fresh save gives (wl18).

The window says "If the update is stopped, it is undone" (ui/upgrading.py): this is the test of
that sentence for the derived-data step. The kill is made at a progress report (a count of cases
done), not after a time: the test is not timed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import textwrap

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage.store import DERIVED_VERSION_KEY, CaseStore, _alert_rows
from tracker_support import ANCHOR, case_dict

INTAKE = ANCHOR - dt.timedelta(days=50)
OLD = json.dumps("facts 0; alerts 3; an older version")

#: The child: the rewrite with a progress report every 5 cases, killed (os._exit, as SIGKILL
#: would: no clean-up runs) at the first report from ``kill_at`` cases on.
CHILD = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from radiculopathy_desktop.storage import upgrade_progress
    from radiculopathy_desktop.storage.store import CaseStore
    upgrade_progress.STEP = 5
    kill_at = int(sys.argv[2])
    store = CaseStore.open(Path(sys.argv[1]), create=False, upgrade=False)
    assert store.upgrade_pending
    def progress(done, total):
        print(done, total, flush=True)
        if done >= kill_at:
            os._exit(9)
    store.upgrade_derived_data(progress)
    print("finished", flush=True)
""")


def _cohort():
    out = []
    for n in range(40):
        d = case_dict(f"M{n:02d}", care_start=INTAKE + dt.timedelta(days=n % 9))
        if n % 2 == 0:
            d["patient"]["pregnancy_weeks"] = 10 + n % 25
            d["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
        elif n % 3 == 0:
            d["medicines"] = [{"name": "Neurontin 600 mg", "daily_dose_mg": 4800}]
        if n % 5 == 0:
            d["visits"] = [{"date": (INTAKE + dt.timedelta(days=20)).isoformat(), "leg_nrs": 5}]
        out.append(d)
    return out


def _snapshot(store) -> dict:
    conn = store._db.conn
    return {table: conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            for table in ("case_documents", "visits", "decisions", "medicine_alerts", "cases", "audit")}


@pytest.fixture
def older(tmp_path):
    """A tracker as an older version left it: the marks stored in round 13's format (a list of
    the dose alerts, no spans) and an older derived-data version."""
    folder = tmp_path / "data"
    with CaseStore.open(folder) as store:
        store.import_cases([parse_case(d) for d in _cohort()])
        conn = store._db.conn
        with conn:
            rows = conn.execute("SELECT case_id, profile, alerts_json FROM medicine_alerts").fetchall()
            for cid, profile, text in rows:
                conn.execute("UPDATE medicine_alerts SET alerts_json = ? WHERE case_id = ? AND profile = ?",
                             (json.dumps(json.loads(text).get("dose", [])), cid, profile))
            conn.execute("UPDATE settings SET value_json = ? WHERE key = ?", (OLD, DERIVED_VERSION_KEY))
        assert store.upgrade_pending
        before = _snapshot(store)
    return folder, before


def _child(folder, kill_at, tmp_path):
    env = dict(os.environ, RADICULOPATHY_DESKTOP_LOG_DIR=str(tmp_path / "logs"), HOME=str(tmp_path))
    return subprocess.run([sys.executable, "-c", CHILD, str(folder), str(kill_at)], capture_output=True, text=True,
                          env=env, timeout=300)


@pytest.mark.parametrize("kill_at", [1, 5, 35])  # after the start, early, near the end (40 cases)
def test_a_rewrite_killed_part_way_changes_nothing_and_runs_whole_at_the_next_open(older, tmp_path, kill_at):
    folder, before = older
    done = _child(folder, kill_at, tmp_path)
    assert done.returncode == 9, done.stderr
    told = [tuple(map(int, line.split())) for line in done.stdout.splitlines()]
    assert told[0][0] == 0 and told[-1][0] >= kill_at and told[-1][0] < told[-1][1]  # stopped part way
    assert "finished" not in done.stdout

    with CaseStore.open(folder, create=False, upgrade=False) as store:
        assert store.upgrade_pending  # not recorded as done: the next open does it again
        assert _snapshot(store) == before  # every record and every old mark as it was
        assert store.get_case("M00").intake.medicines  # a case still reads

    seen = []
    with CaseStore.open(folder, create=False, progress=lambda d, t: seen.append((d, t))) as store:
        assert not store.upgrade_pending
        assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1]  # told from the start to the end
        after = _snapshot(store)
        for table in ("case_documents", "visits", "decisions"):
            assert after[table] == before[table]  # records untouched
        stored = {(cid, profile): text for cid, profile, text in
                  store._db.conn.execute("SELECT case_id, profile, alerts_json FROM medicine_alerts")}
        fresh = {(cid, profile): text for d in _cohort() for cid, profile, text in _alert_rows(parse_case(d))}
        assert stored == fresh  # the marks a save of each case gives now
        assert any("spans" in json.loads(t) for t in stored.values())


def test_an_error_during_the_rewrite_leaves_the_tracker_as_it_was_and_usable(older):
    folder, before = older

    def fail(done, total):
        if done >= 20:
            raise OSError("disk unplugged")

    from radiculopathy_desktop.storage import upgrade_progress

    with CaseStore.open(folder, create=False, upgrade=False) as store:
        old_step, upgrade_progress.STEP = upgrade_progress.STEP, 5
        try:
            with pytest.raises(OSError):
                store.upgrade_derived_data(fail)
        finally:
            upgrade_progress.STEP = old_step
        assert store.upgrade_pending
        assert _snapshot(store) == before
        store.upgrade_derived_data()  # the same store goes on and finishes it
        assert not store.upgrade_pending
        assert store.medicine_alert_count(INTAKE + dt.timedelta(days=30), None) > 0
