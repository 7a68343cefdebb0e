"""Nothing in the process opens the database (or its -wal/-shm/journal) outside SQLite while a store is open.

Closing *any* descriptor of a database file drops every POSIX lock the process holds
on it; the next process then believes it is the last user, checkpoints and deletes
the WAL, and the open store goes on writing into the deleted file (SQLite's "How to
corrupt an SQLite database", section 2.2). Issue 11 found exactly that: the window's
start-up quick check and its daily backup read the header with ``open()``/``close()``.

Two kinds of test:

* a guard: ``open``/``io.open`` of those files, and ``os.close`` of a descriptor of
  one, fail the test while a store is open; then every start-up check, backup,
  check, restore and copy path the window or a command can take is driven;
* the effect itself: a store writes, an in-process check or backup runs, another
  process opens and closes the database, the store writes again, and a fresh process
  must find both writes.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop.storage import backup, backup_settings
from radiculopathy_desktop.storage import db as dbmod
from radiculopathy_desktop.storage.db import StorageError
from radiculopathy_desktop.storage.store import CaseStore

from plain_open_guard import PlainOpenGuard
from tracker_support import ANCHOR, make_case


pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd (Linux)")


@pytest.fixture
def filled(data_dir):
    with CaseStore.open(data_dir) as s:
        s.import_cases([make_case(f"G-{i}") for i in range(3)], user="test")
    return data_dir


def test_no_code_path_opens_the_database_outside_sqlite_while_a_store_is_open(filled, db_path, monkeypatch, capsys):
    from radiculopathy_desktop import cli
    from radiculopathy_desktop.commands import tracker

    first = backup.backup_database(filled).path  # a backup to restore from (made before the guard)
    guard = PlainOpenGuard(monkeypatch, db_path)
    store = CaseStore.open(filled)  # the window's store
    try:
        store.record_audit("dr.a", "case_viewed", "G-0")  # the WAL now holds frames
        guard.armed = True
        # Start-up checks (the window's, and a command's opening the same file)
        dbmod.check_existing_file(db_path)
        with CaseStore.open(filled) as other:
            assert other.case_count() == 3
        # The window's quick check and daily backup, a command's check and backup
        assert backup.check_database(filled) == ("ok",)
        assert backup.check_database(filled, full=True) == ("ok",)
        made = backup.backup_database(filled, keep=50)
        assert made.ok
        assert backup.backup_if_due(filled, max_age=dt.timedelta(0), keep=50).ok
        backup_settings.read_backup_keep(filled)
        # A backup chosen by mistake that is the database itself, and the damaged-copy path
        with pytest.raises(StorageError):
            backup.restore(db_path, filled)
        kept = backup.keep_damaged_copy(db_path)
        assert kept.is_file()
        # A restore while the store is open is refused, and opens nothing outside SQLite
        with pytest.raises(StorageError) as refused:
            backup.restore(first, filled)
        assert refused.value.kind == "locked"
        # The commands, in-process, on the same folder
        monkeypatch.setattr(tracker, "today", lambda: ANCHOR)
        for args in (["check"], ["check", "--full"], ["backup"], ["worklist", "--status", "all"],
                     ["visit", "G-1", "--date", ANCHOR.isoformat(), "--leg-nrs", "4"],
                     ["decide", "G-2", "--kind", "continue", "--until", "2026-07-01", "--date",
                      ANCHOR.isoformat()]):
            code = cli.main(["--data-dir", str(filled), *args])
            out = capsys.readouterr()
            assert code == 0, (args, out.err)
        store.record_audit("dr.a", "case_viewed", "G-1")
        guard.armed = False
    finally:
        guard.armed = False
        store.close()
    assert guard.violations == []


WRITE = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
         "c.execute('SELECT count(*) FROM audit').fetchone(); c.close()")


def _count_marks(db_path: Path) -> int:
    out = subprocess.run([sys.executable, "-c",
                          "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                          "print(c.execute(\"SELECT count(*) FROM audit WHERE user = 'marker'\").fetchone()[0])",
                          str(db_path)], capture_output=True, text=True, check=True)
    return int(out.stdout)


@pytest.mark.parametrize("operation", ["quick_check", "backup", "second_store"])
def test_a_write_after_an_in_process_check_survives_another_process(filled, db_path, operation):
    """The corruption itself: without the fix the second write went into a deleted WAL and was lost."""
    store = CaseStore.open(filled)
    try:
        store.record_audit("marker", "case_viewed", "G-0")
        if operation == "quick_check":
            assert backup.check_database(filled) == ("ok",)
        elif operation == "backup":
            backup.backup_database(filled, keep=50)
        else:
            CaseStore.open(filled).close()
        # Another process opens and closes the database: if it believes it is the last
        # user it checkpoints and deletes the -wal and -shm files.
        subprocess.run([sys.executable, "-c", WRITE, str(db_path)], check=True)
        assert Path(str(db_path) + "-wal").exists(), "another process deleted the WAL under the open store"
        store.record_audit("marker", "case_viewed", "G-1")
    finally:
        store.close()
    assert _count_marks(db_path) == 2
    assert backup.check_database(filled, full=True) == ("ok",)
