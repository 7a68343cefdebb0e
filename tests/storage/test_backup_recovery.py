"""Recovery from a damaged database and the daily-backup helpers (issue 7).

* the newest backup that passes validation is found (a damaged newer one is skipped);
* a damaged database is copied aside byte for byte (with its journal files), never
  changed, and the copy is never pruned;
* ``restore_damaged`` puts a good backup in place and keeps the damaged bytes;
* ``backup_if_due`` makes one backup a day; the number kept comes from the stored
  ``backup_keep`` setting, then the environment, then 14.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import stat
import time

import pytest

from radiculopathy_desktop.storage import backup as bk
from radiculopathy_desktop.storage.db import StorageError
from radiculopathy_desktop.storage.store import CaseStore

from tracker_support import make_case


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _ids(data_dir) -> list[str]:
    with CaseStore.open(data_dir, create=False) as s:
        return sorted(c.case_id for c in s.iter_cases())


@pytest.fixture
def seeded(data_dir):
    with CaseStore.open(data_dir) as s:
        s.import_cases([make_case("C-1"), make_case("C-2")])
    return data_dir


def _damage(db_path, how: str) -> bytes:
    if how == "random":
        db_path.write_bytes(os.urandom(16384))
    else:  # truncated: the header promises pages the file no longer has
        data = db_path.read_bytes()
        db_path.write_bytes(data[: len(data) // 2])
    for side in ("-wal", "-shm"):
        p = db_path.with_name(db_path.name + side)
        if p.exists():
            p.unlink()
    return db_path.read_bytes()


def test_newest_good_backup_skips_a_damaged_newer_one(seeded):
    older = bk.backup_database(seeded).path
    newer = bk.backup_database(seeded).path
    with open(newer, "r+b") as fh:  # damage the newest copy's b-tree pages
        fh.seek(4096)
        fh.write(os.urandom(newer.stat().st_size - 4096))
    good = bk.newest_good_backup(seeded / "backups")
    assert good is not None and good.path == older
    assert good.case_count == 2 and good.size == older.stat().st_size
    assert isinstance(good.taken, dt.datetime) and abs((dt.datetime.now() - good.taken).total_seconds()) < 120


def test_newest_good_backup_none(tmp_path):
    assert bk.newest_good_backup(tmp_path / "nothing-here") is None
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "radiculopathy-20260101-000000.sqlite3").write_bytes(os.urandom(4096))
    assert bk.newest_good_backup(folder) is None


@pytest.mark.parametrize("how", ["random", "truncated"])
def test_keep_damaged_copy_is_byte_identical_private_and_never_pruned(seeded, db_path, how):
    original = _damage(db_path, how)
    wal = db_path.with_name(db_path.name + "-wal")
    wal.write_bytes(b"wal bytes kept with it")
    kept = bk.keep_damaged_copy(db_path)
    assert kept.parent == seeded / "backups"
    assert kept.name.startswith("radiculopathy.sqlite3.damaged-")
    assert kept.read_bytes() == original and db_path.read_bytes() == original
    assert kept.with_name(kept.name + "-wal").read_bytes() == b"wal bytes kept with it"
    assert wal.exists()  # only read
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o600
    second = bk.keep_damaged_copy(db_path)
    assert second != kept and second.read_bytes() == original
    bk.prune(seeded / "backups", 1)
    assert kept.exists() and second.exists()


@pytest.mark.parametrize("how", ["random", "truncated"])
def test_restore_damaged_brings_the_backup_back_and_keeps_the_damaged_file(seeded, db_path, how):
    good = bk.backup_database(seeded).path
    with CaseStore.open(seeded) as s:
        s.import_cases([make_case("C-3")])  # after the backup: not in it
    original = _damage(db_path, how)
    result = bk.restore_damaged(good, seeded)
    assert result.database == db_path and result.restored_from == good
    assert result.safety_backup.read_bytes() == original  # the damaged bytes, unchanged
    assert _ids(seeded) == ["C-1", "C-2"]
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600
    with CaseStore.open(seeded) as s:
        assert s.integrity_check() == ["ok"]
    assert good.exists()


def test_restore_damaged_refuses_a_bad_backup_and_changes_nothing(seeded, db_path, tmp_path):
    original = _damage(db_path, "random")
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(os.urandom(8192))
    with pytest.raises(StorageError) as err:
        bk.restore_damaged(bad, seeded)
    assert err.value.exit_code == 2 and "Nothing was changed" in str(err.value)
    assert db_path.read_bytes() == original
    folder = seeded / "backups"
    assert not folder.exists() or not any(".damaged-" in p.name for p in folder.iterdir())


def test_restore_damaged_uses_a_copy_made_earlier(seeded, db_path):
    good = bk.backup_database(seeded).path
    original = _damage(db_path, "random")
    kept = bk.keep_damaged_copy(db_path)
    db_path.write_bytes(b"changed after the copy was taken")  # e.g. a checkpoint on close
    result = bk.restore_damaged(good, seeded, kept=kept)
    assert result.safety_backup == kept and kept.read_bytes() == original
    assert len([p for p in (seeded / "backups").iterdir() if ".damaged-" in p.name]) == 1
    assert _ids(seeded) == ["C-1", "C-2"]


def test_keep_damaged_copy_refuses_a_folder(data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "radiculopathy.sqlite3").mkdir()
    with pytest.raises(StorageError) as err:
        bk.keep_damaged_copy(data_dir / "radiculopathy.sqlite3")
    assert "Nothing was changed" in str(err.value)


# --------------------------------------------------------------------------- daily backups
def test_backup_if_due_makes_one_a_day(seeded):
    first = bk.backup_if_due(seeded)
    assert first is not None and first.ok
    assert bk.backup_if_due(seeded) is None  # not due again today
    day_old = time.time() - 25 * 3600
    os.utime(first.path, (day_old, day_old))
    second = bk.backup_if_due(seeded)
    assert second is not None and second.path != first.path
    assert bk.list_backups(seeded / "backups") == [first.path, second.path]
    from radiculopathy_desktop.storage import backup_settings as bs
    reasons = bs.backup_reasons(seeded / "backups")
    assert reasons[first.path.name] == reasons[second.path.name] == "daily automatic backup (window open)"


def test_backup_if_due_prunes_to_keep(seeded):
    for _ in range(4):
        bk.backup_database(seeded)
    old = time.time() - 3 * 86400
    for p in bk.list_backups(seeded / "backups"):
        os.utime(p, (old, old))
    result = bk.backup_if_due(seeded, keep=2)
    assert result is not None and len(result.pruned) == 3
    assert len(bk.list_backups(seeded / "backups")) == 2


def test_keep_setting_stored_then_environment_then_default(seeded, monkeypatch):
    monkeypatch.delenv(bk.KEEP_ENV, raising=False)
    with CaseStore.open(seeded) as s:
        conn = s._db.conn
        assert bk.stored_keep(conn) is None
        assert bk.configured_keep(conn) == 14
        monkeypatch.setenv(bk.KEEP_ENV, "9")
        assert bk.configured_keep(conn) == 9

        def store(value_json):
            conn.execute("INSERT INTO settings (key, value_json, updated_at) VALUES ('backup_keep', ?, 'now') "
                         "ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json", (value_json,))
            conn.commit()

        store("5")
        assert bk.stored_keep(conn) == 5 and bk.configured_keep(conn) == 5
        store('"7"')
        assert bk.configured_keep(conn) == 7
        for bad in ("0", "366", "-1", '"lots"', "2.5", "true", "not json"):
            store(bad)
            assert bk.stored_keep(conn) is None and bk.configured_keep(conn) == 9, bad
    assert bk.configured_keep(None) == 9


def test_keep_setting_without_settings_table():
    conn = sqlite3.connect(":memory:")
    assert bk.stored_keep(conn) is None
    conn.close()
