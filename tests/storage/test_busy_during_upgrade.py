"""A second command while another process does the one-time derived-data upgrade (red-team
rt7 R7): it waited out the busy timeout and said only "The database is busy". The upgrading
process now holds a marker lock beside the database (``storage.upgrade_progress``), so the
"busy" message says the holder is the one-time update; a lock held by any other writer keeps
the plain message (no guessing). Two processes: the lock holder is a child process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from radiculopathy_desktop.storage import upgrade_progress
from radiculopathy_desktop.storage.errors import StorageError
from radiculopathy_desktop.storage.store import CaseStore

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the marker is an flock (POSIX)")

HOLDER = textwrap.dedent("""
    import contextlib, sqlite3, sys
    from radiculopathy_desktop.storage import upgrade_progress
    path, how = sys.argv[1], sys.argv[2]
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")  # the write lock, as the upgrade's write transaction holds it
    with upgrade_progress.upgrading(path) if how == "upgrade" else contextlib.nullcontext():
        print("ready", flush=True)
        sys.stdin.read()  # until the test closes it (or kills this process)
    conn.execute("ROLLBACK")
""")


@pytest.fixture
def db(tmp_path):
    with CaseStore.open(tmp_path / "data") as store:
        path = store.path
    return path


@pytest.fixture
def holder(db):
    started = []

    def start(how: str) -> subprocess.Popen:
        proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), how], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True)
        started.append(proc)
        assert proc.stdout.readline().strip() == "ready"  # holds the lock from here on
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.stdin.close()
            proc.wait(timeout=60)


def _write_refused(db) -> str:
    with CaseStore.open(db.parent, create=False, busy_timeout_ms=100, upgrade=False) as store:
        with pytest.raises(StorageError) as caught:
            store.record_audit("someone", "worklist_listed", None, {})
    assert caught.value.kind == "locked"
    return caught.value.message


def test_a_write_during_the_upgrade_elsewhere_says_it_is_the_one_time_update(db, holder):
    holder("upgrade")
    assert upgrade_progress.upgrade_running_elsewhere(db)
    assert _write_refused(db) == (
        "The database is busy: another Radiculopathy Desktop (a window or a command) is doing the one-time update of "
        "the tracker after an upgrade (this can take a few minutes at large clinics); wait for it to finish and try "
        f"again. Nothing was changed. Database: {db}")


def test_another_writer_keeps_the_plain_busy_message(db, holder):
    holder("plain")
    assert not upgrade_progress.upgrade_running_elsewhere(db)
    message = _write_refused(db)
    assert message.startswith("The database is busy: another program (another Radiculopathy Desktop window or "
                              "command, or a backup tool) held it locked"), message
    assert "one-time update" not in message


def test_an_upgrade_killed_part_way_leaves_no_marker_held(db, holder):
    proc = holder("upgrade")
    assert upgrade_progress.upgrade_running_elsewhere(db)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    assert not upgrade_progress.upgrade_running_elsewhere(db)  # the OS dropped the lock with the process
    with CaseStore.open(db.parent, create=False, busy_timeout_ms=100, upgrade=False) as store:
        store.record_audit("someone", "worklist_listed", None, {})  # and the database is free


def test_the_upgrade_holds_the_marker_while_it_runs_and_removes_it(db):
    seen = []
    with CaseStore.open(db.parent, create=False, upgrade=False) as store:
        store._db.conn.execute("DELETE FROM settings WHERE key = 'derived_version'")  # as after an upgrade
        store._db.conn.commit()
        assert store.upgrade_pending
        store.upgrade_derived_data(lambda done, total: seen.append(upgrade_progress.upgrade_running_elsewhere(db)))
        assert not store.upgrade_pending
    # held at the start (a lock on another descriptor conflicts, as another process's does); the end is told
    # after the commit, when the marker is gone
    assert seen == [True, False], seen
    assert not upgrade_progress.marker_path(db).exists()
    assert not upgrade_progress.upgrade_running_elsewhere(db)


def test_a_command_during_the_upgrade_elsewhere_exits_busy_saying_why(db, holder, capsys, monkeypatch, tmp_path):
    """The red-team's repro: a second `worklist` (it records its listing in the audit) while the
    first runs the upgrade. It still waits out the busy timeout, then says why, exit 3."""
    from radiculopathy_desktop import cli

    monkeypatch.setenv("RADICULOPATHY_DESKTOP_LOG_DIR", str(tmp_path / "logs"))
    holder("upgrade")
    code = cli.main(["--data-dir", str(db.parent), "worklist", "--format", "csv"])
    err = capsys.readouterr().err
    assert code == 3
    assert err == ("error: The database is busy: another Radiculopathy Desktop (a window or a command) is doing the "
                   "one-time update of the tracker after an upgrade (this can take a few minutes at large clinics); "
                   f"wait for it to finish and try again. Nothing was changed. Database: {db}\n")
