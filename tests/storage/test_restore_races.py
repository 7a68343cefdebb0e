"""A restore never races a writer (issue 11, section 2).

* refused while the window (any store, in this or another process) has the database
  open, before anything is written: not even a safety copy;
* with commands saving visits while restores run, every save a command reported is
  either in the restored database or in the safety backup of the restore that replaced
  it (before the fix, 8 of 80 were in neither);
* a store whose file was replaced behind its back (a tool that ignores the lock)
  refuses to write instead of writing into the old, unlinked file;
* the restored database's audit says where it came from and how many later audit
  entries went.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from radiculopathy_desktop.domain.intake import FollowUpVisit
from radiculopathy_desktop.storage import backup as bk
from radiculopathy_desktop.storage.db import StorageError
from radiculopathy_desktop.storage.store import CaseStore

from tracker_support import make_case

N_CASES = 3
WRITERS, SAVES_PER_WRITER = 2, 25


def _seed(data_dir: Path) -> dt.date:
    with CaseStore.open(data_dir) as s:
        s.import_cases([make_case(f"R-{i}") for i in range(N_CASES)], user="test")
        return s.get_case("R-0").intake.care_start_date


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "radiculopathy_desktop", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, timeout=120)


HOLDER = r"""
import sys
from radiculopathy_desktop.storage.store import CaseStore
store = CaseStore.open(sys.argv[1])
store.case_count()
print("open", flush=True)
sys.stdin.readline()
store.close()
"""


def test_restore_is_refused_while_a_window_in_another_process_has_the_database_open(data_dir, db_path):
    _seed(data_dir)
    first = bk.backup_database(data_dir).path
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(data_dir)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        before = db_path.read_bytes()  # no store of ours is open in this process
        result = _cli(data_dir, "restore", str(first), "--yes")
        assert result.returncode == 3, result.stderr
        assert "is open in Radiculopathy Desktop" in result.stderr and "Nothing was changed" in result.stderr
        assert "Traceback" not in result.stderr
        assert db_path.read_bytes() == before
        assert bk.list_backups(data_dir / "backups") == [first]  # not even a safety copy
    finally:
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=30)
    result = _cli(data_dir, "restore", str(first), "--yes")  # once the window has closed: restored
    assert result.returncode == 0, result.stderr
    assert "audit: the restore is recorded" in result.stdout


def test_restore_is_refused_while_a_store_in_this_process_is_open(data_dir):
    _seed(data_dir)
    first = bk.backup_database(data_dir).path
    with CaseStore.open(data_dir) as window_store:
        with pytest.raises(StorageError) as refused:
            bk.restore(first, data_dir, wait_s=0.2)
        assert refused.value.kind == "locked"
        assert window_store.case_count() == N_CASES
        assert bk.list_backups(data_dir / "backups") == [first]


WRITER = r"""
import datetime as dt, os, sys
from radiculopathy_desktop.domain.intake import FollowUpVisit
from radiculopathy_desktop.storage.store import CaseStore
data_dir, wid, count, base = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), dt.date.fromisoformat(sys.argv[4])
for n in range(count):
    day = base + dt.timedelta(days=1 + 2 * n + wid * 400)  # each writer its own days
    try:
        with CaseStore.open(data_dir, busy_timeout_ms=5000) as s:  # opened per save, as a command does
            s.add_visit(f"R-{wid}", FollowUpVisit(date=day, leg_nrs=n % 11), user="writer")
    except Exception as exc:
        os.write(1, f"failed {type(exc).__name__} {getattr(exc, 'kind', '')}\n".encode())
        continue
    os.write(1, f"saved {wid} {day.isoformat()}\n".encode())
"""


def _visits(path: Path) -> set[tuple[str, str]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return set(conn.execute("SELECT case_id, visit_date FROM visits WHERE is_baseline = 0"))
    finally:
        conn.close()


def test_every_reported_save_is_in_the_restored_database_or_the_safety_backup(data_dir, db_path):
    from fault_figures import record

    base = _seed(data_dir)
    source = bk.backup_database(data_dir).path  # the backup that will be restored, again and again
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(data_dir), str(w), str(SAVES_PER_WRITER),
                                 base.isoformat()],
                                stdout=subprocess.PIPE, text=True) for w in range(WRITERS)]
    restores = refused = 0
    safety: list[Path] = []
    while any(w.poll() is None for w in writers) or restores < 2:
        try:
            result = bk.restore(source, data_dir)
        except StorageError as exc:
            assert exc.kind == "locked", exc
            refused += 1
        else:
            restores += 1
            safety.append(result.safety_backup)
        time.sleep(0.05)
    reported: set[tuple[str, str]] = set()
    failed = 0
    for w in writers:
        out, _ = w.communicate(timeout=60)
        assert w.returncode == 0
        for line in out.splitlines():
            parts = line.split()
            if parts[0] == "saved":
                reported.add((f"R-{parts[1]}", parts[2]))
            else:
                failed += 1
                assert parts[2] == "locked", line  # waited for a restore too long: not reported as saved
    assert restores >= 2 and reported
    found_anywhere = _visits(db_path).union(*(_visits(p) for p in safety))
    lost = reported - found_anywhere
    assert not lost, f"{len(lost)} reported saves in neither the database nor a safety backup"
    assert bk.check_database(data_dir, full=True) == ("ok",)
    record("restore_races", writes_attempted=WRITERS * SAVES_PER_WRITER, restores=restores,
           restores_refused_while_busy=refused, writes_reported=len(reported),
           writes_found=len(reported) - len(lost), writes_refused=failed)


def test_a_store_whose_file_was_replaced_refuses_to_write(data_dir, db_path):
    _seed(data_dir)
    copy = bk.backup_database(data_dir).path
    store = CaseStore.open(data_dir)
    try:
        base = store.get_case("R-0").intake.care_start_date
        # Another program (ignoring the app's lock) copies a file over the database.
        tmp = db_path.with_name("other.sqlite3")
        tmp.write_bytes(copy.read_bytes())
        os.replace(tmp, db_path)
        with pytest.raises(StorageError) as err:
            store.add_visit("R-0", FollowUpVisit(date=base + dt.timedelta(days=3), leg_nrs=2), user="dr.a")
        assert err.value.kind == "replaced" and "was not saved" in err.value.message
        with pytest.raises(StorageError):  # and every later write too
            store.add_visit("R-1", FollowUpVisit(date=base + dt.timedelta(days=3), leg_nrs=2), user="dr.a")
    finally:
        store.close()
    with CaseStore.open(data_dir) as again:  # opened again: works on the file now in place
        again.add_visit("R-0", FollowUpVisit(date=base + dt.timedelta(days=3), leg_nrs=2), user="dr.a")


def test_the_restored_database_records_the_restore_in_its_audit(data_dir, db_path):
    _seed(data_dir)
    first = bk.backup_database(data_dir).path
    with CaseStore.open(data_dir) as s:
        for i in range(3):
            s.record_audit("dr.b", "case_viewed", f"R-{i}")
    result = bk.restore(first, data_dir, user="it.admin")
    assert result.audit_rows_removed == 3
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT user, action, detail_json FROM audit ORDER BY id DESC LIMIT 1").fetchall()
    finally:
        conn.close()
    user, action, detail = rows[0]
    assert (user, action) == ("it.admin", "database_restored")
    assert json.loads(detail) == {"restored_from": first.name, "safety_backup": result.safety_backup.name,
                                  "later_audit_rows_removed": 3}
