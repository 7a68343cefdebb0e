"""Backups and restore (issue 7): online backup, integrity check, pruning, restore and undo, CLI."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from radiculopathy_desktop import cli
from radiculopathy_desktop.storage import backup as bk
from radiculopathy_desktop.storage import schema
from radiculopathy_desktop.storage.db import StorageError
from radiculopathy_desktop.storage.store import CaseStore

from tracker_support import file_state, make_case


def _dump(path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [line for line in conn.iterdump() if "sqlite_sequence" not in line]
    finally:
        conn.close()


def _audit_count(path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    finally:
        conn.close()


def _restore_audit(path) -> list[dict]:
    import json
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [json.loads(r[0]) for r in conn.execute(
            "SELECT detail_json FROM audit WHERE action = 'database_restored' ORDER BY id")]
    finally:
        conn.close()


def _case_ids(data_dir) -> list[str]:
    with CaseStore.open(data_dir, create=False) as s:
        return sorted(c.case_id for c in s.iter_cases())


@pytest.fixture
def seeded(data_dir):
    with CaseStore.open(data_dir) as s:
        s.import_cases([make_case("C-1"), make_case("C-2", name="Other Person")])
    return data_dir


def test_backup_is_checked_private_and_equal(seeded, db_path):
    result = bk.backup_database(seeded)
    assert result.ok and result.integrity == ("ok",)
    assert result.path.parent == seeded / "backups"
    assert result.path.name.startswith("radiculopathy-") and result.path.suffix == ".sqlite3"
    assert stat.S_IMODE(os.stat(result.path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(result.path.parent).st_mode) == 0o700
    assert _dump(result.path) == _dump(db_path)


def test_backup_of_open_store_sees_committed_data(seeded, db_path):
    with CaseStore.open(seeded) as s:
        s.import_cases([make_case("C-3")])
        result = bk.backup_connection(s._db.conn, seeded / "backups")
    assert result.ok
    conn = sqlite3.connect(f"file:{result.path}?mode=ro", uri=True)
    assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 3
    conn.close()


def test_failed_integrity_check_deletes_the_backup(seeded, monkeypatch):
    monkeypatch.setattr(bk, "_integrity", lambda path: ("row 3 missing from index",))
    with pytest.raises(StorageError) as err:
        bk.backup_database(seeded)
    assert err.value.kind == "corrupt" and "integrity check" in str(err.value)
    assert bk.list_backups(seeded / "backups") == []


def test_pruning_keeps_n(seeded):
    made = [bk.backup_database(seeded, keep=3).path for _ in range(6)]
    kept = bk.list_backups(seeded / "backups")
    assert kept == made[-3:]
    assert all(not p.exists() for p in made[:3])


def test_restore_round_trip_and_undo(seeded, db_path):
    first = bk.backup_database(seeded).path
    with CaseStore.open(seeded) as s:
        s.import_cases([make_case("C-3")])
    assert _case_ids(seeded) == ["C-1", "C-2", "C-3"]
    after_import = _dump(db_path)

    result = bk.restore(first, seeded)
    assert _case_ids(seeded) == ["C-1", "C-2"]
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600
    assert result.safety_backup.exists() and result.safety_backup != first
    assert bk.validate_backup(result.safety_backup) is None

    # The audit entries made after the backup (the import's): gone with its data, counted.
    assert result.audit_rows_removed == _audit_count(result.safety_backup) - _audit_count(first) > 0
    restored_rows = _restore_audit(db_path)
    assert [d["restored_from"] for d in restored_rows] == [first.name]
    assert restored_rows[0]["safety_backup"] == result.safety_backup.name

    undo = bk.restore(result.safety_backup, seeded)  # the safety backup undoes the restore
    assert _case_ids(seeded) == ["C-1", "C-2", "C-3"]
    # As before the restore, plus the audit entry of the undo itself (and nothing else).
    assert [line for line in _dump(db_path) if "database_restored" not in line] == after_import
    assert [d["restored_from"] for d in _restore_audit(db_path)] == [result.safety_backup.name]
    assert undo.audit_rows_removed == 1  # the first restore's own entry
    assert undo.safety_backup.exists()
    with CaseStore.open(seeded) as s:
        assert s.integrity_check() == ["ok"]


def _current_unchanged(db_path, before):
    assert file_state(db_path) == before


@pytest.mark.parametrize("kind", ["random", "truncated", "newer", "foreign", "empty"])
def test_restore_refuses_bad_files_and_changes_nothing(seeded, db_path, tmp_path, kind):
    good = bk.backup_database(seeded).path
    bad = tmp_path / f"bad-{kind}.sqlite3"
    if kind == "random":
        bad.write_bytes(os.urandom(8192))
    elif kind == "truncated":
        data = good.read_bytes()
        bad.write_bytes(data[: len(data) // 2])
    elif kind == "newer":
        bad.write_bytes(good.read_bytes())
        conn = sqlite3.connect(bad)
        conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
        conn.commit()
        conn.close()
    elif kind == "foreign":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.close()
    else:
        bad.write_bytes(b"")
    backups_before = sorted(p.name for p in (seeded / "backups").iterdir())
    before = file_state(db_path)
    with pytest.raises(StorageError) as err:
        bk.restore(bad, seeded)
    assert err.value.exit_code == 2
    assert "cannot be restored" in str(err.value) and "Nothing was changed" in str(err.value)
    if kind == "newer":
        assert "newer version" in str(err.value)
    _current_unchanged(db_path, before)
    assert sorted(p.name for p in (seeded / "backups").iterdir()) == backups_before  # no safety copy either


def test_check_reports_ok(seeded):
    assert bk.check_database(seeded) == ("ok",)
    assert bk.check_database(seeded, full=True) == ("ok",)


def test_backup_before_migration(seeded, db_path, monkeypatch):
    """A pending migration on an existing database is preceded by a checked backup."""
    from sqlite_utils import Migrations

    extra = Migrations("radiculopathy_desktop")
    for m in schema.migrations._migrations:
        extra._migrations.append(m)

    @extra(name="m999_test_only")
    def m999(db):
        db.execute("CREATE TABLE test_only (x)")

    monkeypatch.setattr(schema, "migrations", extra)
    before = _dump(db_path)
    with CaseStore.open(seeded):
        pass
    backups = bk.list_backups(seeded / "backups")
    assert len(backups) == 1
    assert _dump(backups[0]) == before
    assert "test_only" not in "".join(_dump(backups[0]))
    from radiculopathy_desktop.storage import backup_settings as bs
    assert bs.backup_reasons(seeded / "backups") == {backups[0].name: "automatic, before a database upgrade"}


def test_new_database_makes_no_backup(data_dir):
    with CaseStore.open(data_dir):
        pass
    assert bk.list_backups(data_dir / "backups") == []


# --------------------------------------------------------------------------- CLI
@pytest.fixture
def run(capsys, seeded):
    def _run(*args):
        code = cli.main(["--data-dir", str(seeded), *args])
        out = capsys.readouterr()
        return code, out.out, out.err
    return _run


def test_cli_backup_and_check(run, seeded, tmp_path):
    code, out, err = run("backup")
    assert code == 0, err
    assert "integrity: ok" in out
    path = out.split("backup: ", 1)[1].splitlines()[0]
    assert os.path.exists(path)
    code, out, err = run("backup", "--to", str(tmp_path / "elsewhere"))
    assert code == 0 and str(tmp_path / "elsewhere") in out
    code, out, err = run("check")
    assert (code, out.strip()) == (0, "ok")


def test_cli_restore_needs_yes_without_tty(run, seeded, db_path, monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False, raising=False)
    good = bk.backup_database(seeded).path
    before = file_state(db_path)
    code, out, err = run("restore", str(good))
    assert code == 2 and "--yes" in err and "Traceback" not in err
    assert file_state(db_path) == before
    code, out, err = run("restore", str(good), "--yes")
    assert code == 0, err
    assert "safety backup: " in out
    safety = out.split("safety backup: ", 1)[1].splitlines()[0]
    assert os.path.exists(safety)


def test_cli_restore_refuses_random_bytes(run, db_path, tmp_path):
    bad = tmp_path / "junk.sqlite3"
    bad.write_bytes(os.urandom(4096))
    before = file_state(db_path)
    code, out, err = run("restore", str(bad), "--yes")
    assert code == 2 and "not an SQLite database" in err and "Traceback" not in err
    assert file_state(db_path) == before


def test_cli_check_damaged_exits_3(run, seeded, db_path):
    with CaseStore.open(seeded) as s:
        s._db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = db_path.stat().st_size
    with open(db_path, "r+b") as fh:  # overwrite pages after the first: the tables' b-trees
        fh.seek(4096)
        fh.write(os.urandom(size - 4096))
    before = file_state(db_path)
    code, out, err = run("check")
    assert code == 3 and "damaged" in err and "Traceback" not in err
    assert file_state(db_path) == before


def test_cli_check_missing_database(capsys, tmp_path):
    code = cli.main(["--data-dir", str(tmp_path / "none"), "check"])
    assert code == 2 and "no database" in capsys.readouterr().err


def test_restore_while_the_database_is_open_elsewhere_is_refused_and_keeps_its_data(seeded, db_path):
    """The window has the database open: a restore from the command line must not delete its WAL."""
    first = bk.backup_database(seeded).path
    with CaseStore.open(seeded) as open_elsewhere:
        open_elsewhere.import_cases([make_case("C-3")])
        with pytest.raises(StorageError) as info:
            bk.restore(first, seeded)
        assert info.value.kind == "locked"
        assert sorted(c.case_id for c in open_elsewhere.iter_cases()) == ["C-1", "C-2", "C-3"]
    assert _case_ids(seeded) == ["C-1", "C-2", "C-3"]
