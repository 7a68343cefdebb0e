"""Opening the database sweeps what a killed restore, backup or creation left beside it, and
loads nothing of the backup module to do so (issue 17: the window's start-up opens the store
before its first paint; the backup module is for backups, restores and a schema update's
backup, not for every opening)."""

from __future__ import annotations

import os
import subprocess
import sys

from radiculopathy_desktop.storage import backup as bk
from radiculopathy_desktop.storage import leftovers
from radiculopathy_desktop.storage.store import CaseStore


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_opening_removes_a_dead_process_leftover_and_keeps_a_live_ones_and_the_database(tmp_path):
    folder = tmp_path / "data"
    CaseStore.open(folder).close()
    dead = _dead_pid()
    gone = folder / f".radiculopathy.sqlite3.{dead}.restore"
    gone_journal = folder / f".radiculopathy.sqlite3.{dead}.new-journal"
    live = folder / f".radiculopathy.sqlite3.{os.getpid()}.t1f.partial"  # being written now
    foreign = folder / f".notes.{dead}.json"  # not a name the app gives a temporary file
    for path in (gone, gone_journal, live, foreign):
        path.write_bytes(b"x")
    store = CaseStore.open(folder)
    try:
        assert store.case_count() == 0
    finally:
        store.close()
    assert not gone.exists() and not gone_journal.exists()
    assert live.exists() and foreign.exists()
    assert (folder / "radiculopathy.sqlite3").is_file()


def test_the_backup_module_keeps_the_same_sweep_under_its_own_names():
    """``storage.backup`` still offers the sweep and the temporary-name pattern (its callers and
    the commands use them there): the very same objects, not copies that could drift apart."""
    assert bk.sweep_leftovers is leftovers.sweep_leftovers
    assert bk._TEMP is leftovers._TEMP
    assert bk._TEMP.match(".radiculopathy.sqlite3.123.t9a.partial").group(1) == "123"


def test_opening_an_up_to_date_database_does_not_load_the_backup_module(tmp_path):
    """In a fresh interpreter: open an existing, up-to-date database and read its first page;
    ``storage.backup`` (and its folder and settings modules) stay unloaded."""
    folder = tmp_path / "data"
    CaseStore.open(folder).close()
    probe = ("import sys, datetime as dt\n"
             "from radiculopathy_desktop.storage.store import CaseStore\n"
             f"store = CaseStore.open({str(folder)!r})\n"
             "store.worklist(dt.date(2026, 11, 30), limit=200); store.status_counts(dt.date(2026, 11, 30))\n"
             "store.close()\n"
             "print(sorted(m for m in sys.modules if m.startswith('radiculopathy_desktop.storage.backup')))\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip() == "[]"
