"""SIGKILL a backup or a restore part-way, at points derived from measured run times (issue 11, section 2).

A runner process imports everything first, says "ready", and starts the operation
only when told "go", so the measured time and the kill delays cover the operation
itself, not Python's start-up. Each operation is first run whole (twice) to measure
how long it takes on this machine now; the kills are then spread from 5 % to 110 % of
that time. After every kill:

* the database is whole: integrity ok, and either the data before or the restored data;
* every listed backup is a whole, checked backup (a killed backup is never listed, so
  it never counts toward the number kept);
* the next operation (opening the store, the next backup) removes what the killed one
  left under temporary names, and no orphan journal remains anywhere.

Nothing asserts on timing.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from radiculopathy_desktop.storage import backup as bk
from radiculopathy_desktop.storage import inuse
from radiculopathy_desktop.storage.store import CaseStore

RUNNER = r"""
import os, sys
from radiculopathy_desktop.storage import backup as bk
op, data_dir, source = sys.argv[1], sys.argv[2], sys.argv[3]
os.write(1, b"ready\n")
sys.stdin.readline()
if op == "backup":
    bk.backup_database(data_dir, keep=100)
else:
    bk.restore(source, data_dir, keep=100)
os.write(1, b"done\n")
"""

KILLS_PER_OPERATION = 10
ALLOWED_IN_DATA_DIR = {"radiculopathy.sqlite3", "radiculopathy.sqlite3-wal", "radiculopathy.sqlite3-shm",
                       inuse.LOCK_NAME, "backups"}


def _cases(path: Path) -> int:
    # Read-write, as the app's next open is: a restore killed while it held the write lock
    # leaves a hot rollback journal, which SQLite rolls back on this open (a read-only
    # connection cannot, and fails with "attempt to write a readonly database").
    conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=10)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    finally:
        conn.close()


class Runner:
    def __init__(self, op: str, data_dir: Path, source: Path):
        self.proc = subprocess.Popen([sys.executable, "-c", RUNNER, op, str(data_dir), str(source)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "ready"

    def go(self) -> float:
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()
        return time.monotonic()

    def finish(self) -> None:
        assert self.proc.stdout.readline().strip() == "done"
        self.proc.wait(timeout=60)
        assert self.proc.returncode == 0


JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")  # a rollback journal's header (SQLite file format, 4.1)


def _hot(journal: Path) -> bool:
    """Could SQLite replay this journal? Only with a header; an empty or zeroed one is ignored.
    (Read only after every connection to the database is closed.)"""
    with open(journal, "rb") as fh:
        return fh.read(8) == JOURNAL_MAGIC


def _leftovers(data_dir: Path) -> list[str]:
    journal = data_dir / "radiculopathy.sqlite3-journal"
    # A journal SQLite itself would ignore (empty or zeroed header) is harmless; one it could
    # apply to the database after a restore swapped the file is an orphan, and fails here.
    bad = [p.name for p in data_dir.iterdir()
           if p.name not in ALLOWED_IN_DATA_DIR and not (p == journal and not _hot(p))]
    for p in (data_dir / "backups").iterdir():
        if p.name.startswith(".") or p.name.endswith("-journal"):
            bad.append(f"backups/{p.name}")
    return bad


@pytest.mark.slow
@pytest.mark.parametrize("op", ["backup", "restore"])
def test_killed_backup_or_restore_leaves_nothing_behind(data_dir, db_path, op):
    from fault_figures import record
    from radiculopathy_desktop import demo
    from radiculopathy_desktop.domain.intake import parse_case
    from tracker_support import ANCHOR

    with CaseStore.open(data_dir) as s:
        s.import_cases([parse_case(d) for d in demo.generate_case_dicts(600, seed=3, as_of=ANCHOR)], user="t")
    source = bk.backup_database(data_dir, keep=100).path
    with CaseStore.open(data_dir) as s:
        s.import_cases([parse_case(d) for d in demo.generate_case_dicts(1200, seed=4, as_of=ANCHOR)][600:],
                       user="t")
    restored_cases, current_cases = _cases(source), _cases(db_path)
    assert restored_cases != current_cases

    # How long the operation itself takes here and now (twice; the longer one).
    durations = []
    for _ in range(2):
        runner = Runner(op, data_dir, source)
        started = runner.go()
        runner.finish()
        durations.append(time.monotonic() - started)
    duration = max(durations)

    kills = landed = 0
    for i in range(KILLS_PER_OPERATION):
        fraction = 0.05 + 1.05 * i / (KILLS_PER_OPERATION - 1)
        runner = Runner(op, data_dir, source)
        runner.go()
        time.sleep(fraction * duration)
        runner.proc.send_signal(signal.SIGKILL)
        runner.proc.wait(timeout=60)
        out = runner.proc.stdout.read()
        kills += 1
        landed += "done" not in out
        # The database is whole: the data before or the restored data.
        assert _cases(db_path) in (restored_cases, current_cases)
        # Every backup listed is whole and checked: a killed one is not counted.
        for listed in bk.list_backups(data_dir / "backups"):
            bk.validate_backup(listed)
        # The next operation removes what the killed one left, and no journal is orphaned.
        with CaseStore.open(data_dir) as s:
            assert s.integrity_check() == ["ok"]
        bk.sweep_leftovers(data_dir / "backups")  # what the next backup does first
        assert _leftovers(data_dir) == []
    assert landed > 0, "no kill landed during the operation; the test proved nothing"
    record(f"kill_{op}", kills=kills, kills_during_operation=landed, kills_survived=kills)


def test_sweep_removes_only_what_a_dead_process_left(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    dead_pid = int(dead.stdout)
    names = {
        f".radiculopathy-20260101-000000.sqlite3.{dead_pid}.tab12.partial": False,
        f".radiculopathy-20260101-000000.sqlite3.{dead_pid}.tab12.partial-journal": False,
        f".radiculopathy.sqlite3.{dead_pid}.restore": False,
        f".radiculopathy.sqlite3.{dead_pid}.new": False,
        f".backup-notes.json.{dead_pid}.tmp": False,  # notes being replaced when the process was killed
        f".backup-notes.json.{os.getpid()}.tmp": True,  # notes being replaced now
        f".radiculopathy-20260101-000000.sqlite3.{os.getpid()}.t99.partial": True,  # still being written
        "radiculopathy-20260101-000000.sqlite3": True,  # a finished backup
        "backup-notes.json": True,
        f".notes.{dead_pid}.json": True,  # not a name this app gives a temporary database file
    }
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    removed = bk.sweep_leftovers(tmp_path)
    assert sorted(p.name for p in removed) == sorted(n for n, keep in names.items() if not keep)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(n for n, keep in names.items() if keep)
