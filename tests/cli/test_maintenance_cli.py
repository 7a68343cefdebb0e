"""The number of backups to keep (``backup_keep``) and the notes beside the backups, through the
``backup``, ``restore`` and ``settings`` commands and the storage API the window uses."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from helpers.cli_run import cli_runner
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage import backup as bk
from radiculopathy_desktop.storage import backup_settings as bs
from radiculopathy_desktop.storage.store import CaseStore

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "examples" / "routine_l5_acute.json"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("RADICULOPATHY_DESKTOP_DATA_DIR", str(folder))
    monkeypatch.delenv(bk.KEEP_ENV, raising=False)
    with CaseStore.open(folder) as store:
        store.import_cases([parse_case(json.loads(EXAMPLE.read_text(encoding="utf-8")))], user="test")
    return folder


@pytest.fixture
def run(capsys, data_dir):
    return cli_runner(capsys, "--data-dir", str(data_dir))


def _private(path: Path) -> bool:
    return stat.S_IMODE(os.stat(path).st_mode) == 0o600


# --------------------------------------------------------------------------- the setting
def test_keep_defaults_to_the_environment_then_14(data_dir, monkeypatch):
    with CaseStore.open(data_dir) as store:
        assert bs.get_backup_keep(store) == bk.DEFAULT_KEEP == 14
        monkeypatch.setenv(bk.KEEP_ENV, "5")
        assert bs.get_backup_keep(store) == 5
        assert not bs.is_backup_keep_set(store)
    assert bs.read_backup_keep(data_dir) == 5
    assert bs.read_backup_keep(data_dir / "no-such-folder") == 5


def test_set_keep_is_stored_validated_and_audited(data_dir, monkeypatch):
    monkeypatch.setenv(bk.KEEP_ENV, "5")
    with CaseStore.open(data_dir) as store:
        bs.set_backup_keep(store, 3, user="dr.a")
        bs.set_backup_keep(store, 4, user="dr.b")
        assert bs.get_backup_keep(store) == 4  # the clinic's setting wins over the environment
        assert bk.configured_keep(store._db.conn) == 4  # the daily backup reads the same setting
        audit = [a for a in store.audit() if a.action == "settings_changed"]
        assert [(a.user, a.detail) for a in audit] == [("dr.a", {"backup_keep": [None, 3]}),
                                                      ("dr.b", {"backup_keep": [3, 4]})]
        for bad in (0, -1, 366, 2.5, True, "many", None):
            with pytest.raises(Exception) as info:
                bs.set_backup_keep(store, bad, user="dr.a")
            assert "backup" in str(info.value) and "1 to 365" in str(info.value)
        assert bs.get_backup_keep(store) == 4
    assert bs.read_backup_keep(data_dir) == 4  # read-only, without a CaseStore


@pytest.mark.parametrize("stored", ["lots", 0, 366, 2.5, True, None])
def test_a_damaged_stored_value_falls_back_to_the_default(data_dir, stored):
    with CaseStore.open(data_dir) as store:
        store._db.conn.execute("INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)",
                              (bs.KEEP_KEY, json.dumps(stored), "2026-01-01T00:00:00+00:00"))
        store._db.conn.commit()
        assert bs.get_backup_keep(store) == 14
        assert bk.configured_keep(store._db.conn) == 14  # what the daily backup reads: the same answer
        assert not bs.is_backup_keep_set(store)
    assert bs.read_backup_keep(data_dir) == 14


def test_settings_command_shows_and_sets_backup_keep(run, data_dir):
    code, out, _ = run("settings", "get")
    assert code == 0 and "backup_keep = 14" in out
    code, out, err = run("settings", "set", "backup_keep", "7")
    assert code == 0 and out.strip() == "backup_keep = 7", err
    code, out, _ = run("settings", "get", "backup_keep")
    assert out.strip() == "7"
    code, out, _ = run("settings", "get")
    assert "backup_keep = 7  (default 14)" in out
    for bad in ("0", "366", "abc", "-3", "2.5", "²", "9" * 5000, ""):
        code, out, err = run("settings", "set", "backup_keep", bad)
        assert code == 2 and err.startswith("error: settings: backup_keep:") and "Traceback" not in err, (bad, err)


# --------------------------------------------------------------------------- backup and restore commands
def test_backup_command_keeps_the_configured_number_and_notes_why(run, data_dir):
    run("settings", "set", "backup_keep", "2")
    for _ in range(3):
        code, out, err = run("backup")
        assert code == 0, err
    folder = data_dir / "backups"
    backups = bk.list_backups(folder)
    assert len(backups) == 2
    assert "removed old backup" in out
    reasons = bs.backup_reasons(folder)
    assert set(reasons) == {p.name for p in backups}  # notes of pruned backups are dropped too
    assert set(reasons.values()) == {"made by the backup command"}
    assert _private(folder / bs.NOTES_FILE)
    code, _out, _err = run("backup", "--keep", "1")  # --keep wins over the setting
    assert code == 0 and len(bk.list_backups(folder)) == 1
    code, _out, err = run("backup", "--keep", "0")
    assert code == 2 and "--keep must be from 1 to 365" in err


def test_restore_command_records_the_restore_so_the_window_can_undo_it(run, data_dir):
    run("backup")
    first = bk.list_backups(data_dir / "backups")[-1]
    with CaseStore.open(data_dir) as store:
        store.import_cases([parse_case({**json.loads(EXAMPLE.read_text(encoding="utf-8")), "case_id": "LATER",
                                        "patient": {"id": "P-LATER", "age_years": 50, "sex": "female"}})])
    code, out, err = run("restore", str(first), "--yes")
    assert code == 0, err
    last = bs.last_restore(data_dir / "backups")
    assert last is not None
    assert last.restored_from == first.name
    assert f"safety backup: {last.safety_backup}" in out
    assert _private(data_dir / "backups" / bs.LAST_RESTORE_FILE)
    assert bs.backup_reasons(data_dir / "backups")[last.safety_backup.name] == \
        f"safety copy before restoring {first.name}"
    with CaseStore.open(data_dir) as store:
        assert not store.has_case("LATER")
    code, _out, err = run("restore", str(last.safety_backup), "--yes")  # the undo the window offers
    assert code == 0, err
    with CaseStore.open(data_dir) as store:
        assert store.has_case("LATER")


def test_restore_without_confirmation_is_refused_and_records_nothing(run, data_dir, monkeypatch):
    import io
    run("backup")
    first = bk.list_backups(data_dir / "backups")[-1]
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, _out, err = run("restore", str(first))
    assert code == 2 and "--yes" in err
    assert bs.last_restore(data_dir / "backups") is None


# --------------------------------------------------------------------------- the notes files
def test_notes_survive_damage_and_never_point_outside_the_folder(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir(mode=0o700)
    (folder / bs.NOTES_FILE).write_text("{not json", encoding="utf-8")
    assert bs.backup_reasons(folder) == {}
    (folder / bs.LAST_RESTORE_FILE).write_text("[]", encoding="utf-8")
    assert bs.last_restore(folder) is None
    outside = tmp_path / "elsewhere.sqlite3"
    outside.write_bytes(b"x")
    (folder / bs.LAST_RESTORE_FILE).write_text(json.dumps({"safety_backup": "../elsewhere.sqlite3"}),
                                               encoding="utf-8")
    assert bs.last_restore(folder) is None
    bs.record_restore(folder, folder / "radiculopathy-20260101-000000.sqlite3", "x.sqlite3")
    assert bs.last_restore(folder) is None  # the safety backup is gone: nothing to undo
    (folder / "radiculopathy-20260101-000000.sqlite3").write_bytes(b"")
    assert bs.last_restore(folder).safety_backup == folder / "radiculopathy-20260101-000000.sqlite3"
    bs.clear_last_restore(folder)
    assert bs.last_restore(folder) is None
    bs.clear_last_restore(folder)  # twice is fine


# --------------------------------------------------------------------------- clear-lock (forgotten passphrase)
def test_clear_lock_removes_a_forgotten_passphrase_and_audits_it(run, data_dir):
    from radiculopathy_desktop.storage import access

    with CaseStore.open(data_dir) as store:
        access.set_passphrase(store, "correct horse", "correct horse", user="AB")
        assert access.load_config(store).enabled
    code, out, err = run("clear-lock", "--yes")
    assert code == 0, err
    assert "was removed" in out
    with CaseStore.open(data_dir) as store:
        assert not access.load_config(store).enabled
        entries = [e for e in store.audit() if e.action == "settings_changed"]
        assert any("access_lock" in e.detail for e in entries)
        assert all("correct horse" not in json.dumps(e.detail) for e in store.audit())


def test_clear_lock_without_a_lock_changes_nothing(run, data_dir):
    with CaseStore.open(data_dir) as store:
        before = len(store.audit())
    code, out, _err = run("clear-lock", "--yes")
    assert code == 0 and "no passphrase lock" in out
    with CaseStore.open(data_dir) as store:
        assert len(store.audit()) == before


def test_clear_lock_needs_confirmation_when_not_at_a_terminal(run, data_dir, monkeypatch):
    from radiculopathy_desktop.storage import access

    with CaseStore.open(data_dir) as store:
        access.set_passphrase(store, "correct horse", "correct horse", user="AB")
    monkeypatch.setattr("sys.stdin", None)
    code, _out, err = run("clear-lock")
    assert code == 2 and "--yes" in err
    with CaseStore.open(data_dir) as store:
        assert access.load_config(store).enabled


def test_commands_write_their_log_to_the_log_folder_owner_only(run, data_dir):
    code, _out, _err = run("check")
    assert code == 0
    log_file = Path(os.environ["RADICULOPATHY_DESKTOP_LOG_DIR"]) / "app.log"
    assert log_file.is_file()
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
