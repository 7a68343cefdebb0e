"""The schema update of the first open after an upgrade of the app (m006 and any later
migration): a checked backup of the whole file, then the migrations, told step by step to
a watcher (the window's progress dialog, the command line's stderr lines), held under the
update marker so a second command is told the tracker is being updated, and stoppable.
A failure or a stop part way leaves the tracker exactly as it was, with no half backup.

The tracker is a real one of a few hundred cases turned back into what the previous
version wrote (m006 not applied)."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from radiculopathy_desktop.storage import backup, opening, schema, upgrade_progress
from radiculopathy_desktop.storage import db as dbmod
from radiculopathy_desktop.storage.errors import StorageError
from radiculopathy_desktop.storage.store import DERIVED_VERSION_KEY, CaseStore

from helpers.schema_v5 import VERSION_5_STATUS_INDEX as OLD_INDEX
from helpers.schema_v5 import demo_tracker_at_version_5
from helpers.schema_v5 import status_index_columns as _status_index_columns
from tracker_support import ANCHOR

CASES = 300


@pytest.fixture(scope="module")
def v5_template(tmp_path_factory) -> Path:
    return demo_tracker_at_version_5(tmp_path_factory.mktemp("v5") / "tracker", CASES, seed=11, as_of=ANCHOR)


@pytest.fixture
def old_db(v5_template, tmp_path) -> Path:
    """A fresh copy of the version-5 tracker (owner-only folder, as the app makes it)."""
    folder = tmp_path / "tracker"
    folder.mkdir(mode=0o700)
    dest = folder / v5_template.name
    dest.write_bytes(v5_template.read_bytes())
    dest.chmod(0o600)
    return dest


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _state(path: Path) -> tuple:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return (conn.execute("PRAGMA user_version").fetchone()[0], schema.pending_names(conn),
                _status_index_columns(conn), conn.execute("SELECT count(*) FROM cases").fetchone()[0])
    finally:
        conn.close()


def _backup_folder_files(path: Path) -> list[str]:
    """The backups listed, and any temporary (hidden) file a backup left, by name."""
    folder = path.parent / backup.BACKUP_DIRNAME
    if not folder.exists():
        return []
    hidden = [p.name for p in folder.iterdir() if p.name.startswith(".")]
    return sorted([p.name for p in backup.list_backups(folder)] + hidden)


class Recorder(upgrade_progress.SchemaWatcher):
    def __init__(self, stop_at: str | None = None):
        self.calls: list[tuple] = []
        self.stop_at = stop_at  # "backup": after the first pages; "migrate": once the migrations start

    def begin(self, size_bytes: int, migrations: int) -> None:
        self.calls.append(("begin", size_bytes, migrations))

    def step(self, name: str, done: int, total: int) -> None:
        self.calls.append((name, done, total))

    def stop_requested(self) -> bool:
        if self.stop_at == "backup":
            return any(c[0] == "backup" and c[1] > 0 for c in self.calls)
        if self.stop_at == "migrate":
            return any(c[0] == "migrate" for c in self.calls)
        return False


# --------------------------------------------------------------------------- progress
def test_the_backup_then_the_migration_are_told_in_order_monotonic_and_finished(old_db, monkeypatch):
    monkeypatch.setattr(backup, "PROGRESS_STEPS", 20)  # a few hundred cases: still several steps
    assert _state(old_db)[1] == ["m006_status_counts", "m007_entry_order", "m008_scored_follow_up", "m009_patient_key",
                                 "m010_pregnancy", "m011_patient_key_turkish_i",
                                          "m012_medicine_alert_spans", "m013_derived_recompute_audit",
                                          "m014_clock_follow_up"]
    watcher = Recorder()
    db = opening.open_database(old_db, create=False, progress=watcher)
    db.close()
    names = [c[0] for c in watcher.calls]
    assert names[0] == "begin" and names.count("begin") == 1
    _, size, migrations = watcher.calls[0]
    assert migrations == 9 and size >= old_db.stat().st_size // 2  # m006 to m014
    backup_calls = [c for c in watcher.calls if c[0] == "backup"]
    migrate_calls = [c for c in watcher.calls if c[0] == "migrate"]
    assert names == ["begin"] + ["backup"] * len(backup_calls) + ["migrate"] * len(migrate_calls)
    totals = {c[2] for c in backup_calls}
    assert len(totals) == 1 and totals.pop() * 4096 >= size  # pages (the demo file's page size is 4096)
    done = [c[1] for c in backup_calls]
    assert done[0] == 0 and done[-1] == backup_calls[-1][2]
    assert all(b > a for a, b in zip(done, done[1:])), done  # strictly forward, no restart
    assert len(done) >= 5  # in steps, not one jump (what the window's bar shows)
    assert migrate_calls == [("migrate", 0, 9), ("migrate", 9, 9)]  # before and after the nine migrations
    version, pending, index, cases = _state(old_db)
    assert (version, pending, cases) == (schema.SCHEMA_VERSION, [], CASES)
    assert index == OLD_INDEX + ["improving", "follow_up_ord"]  # m006, then m008 (fu16)
    assert len(_backup_folder_files(old_db)) == 1  # one checked backup, no temporary file left
    assert not upgrade_progress.marker_path(old_db).exists()


def test_a_first_open_that_also_rewrites_the_derived_data_makes_one_backup_not_two(old_db):
    conn = sqlite3.connect(old_db)
    conn.execute("DELETE FROM settings WHERE key = ?", (DERIVED_VERSION_KEY,))  # derived data from another version
    conn.commit()
    conn.close()
    with CaseStore.open(old_db.parent, create=False) as store:
        assert not store.upgrade_pending
        assert len(store.worklist(ANCHOR)) > 0
    names = _backup_folder_files(old_db)
    assert len(names) == 1 and names[0].endswith(backup.BACKUP_SUFFIX), names
    backup.validate_backup(old_db.parent / backup.BACKUP_DIRNAME / names[0])  # raises unless sound


def test_an_up_to_date_tracker_opens_without_a_backup_or_a_word(old_db):
    opening.open_database(old_db, create=False).close()
    before = _backup_folder_files(old_db)
    watcher = Recorder()
    opening.open_database(old_db, create=False, progress=watcher).close()
    assert watcher.calls == [] and _backup_folder_files(old_db) == before


# --------------------------------------------------------------------------- failures
def test_a_disk_filling_up_during_the_backup_leaves_the_tracker_as_it_was_and_no_half_backup(old_db, monkeypatch):
    """The backup's temporary file may grow to a third of the database, then the disk is
    'full' (SQLite's max_page_count gives SQLITE_FULL exactly as a full disk does)."""
    monkeypatch.setattr(backup, "PROGRESS_STEPS", 20)
    pages = sqlite3.connect(old_db).execute("PRAGMA page_count").fetchone()[0]
    before, state = _digest(old_db), _state(old_db)
    real_connect = dbmod.connect

    def capped(path, **kwargs):
        conn = real_connect(path, **kwargs)
        if str(path).endswith(".partial"):  # the backup's temporary file (storage.backup._temp_file)
            conn.execute(f"PRAGMA max_page_count = {pages // 3}")
        return conn

    monkeypatch.setattr(dbmod, "connect", capped)
    watcher = Recorder()
    with pytest.raises(StorageError) as err:
        opening.open_database(old_db, create=False, progress=watcher)
    assert err.value.kind == "disk_full"
    assert "disk is full" in err.value.message and "Nothing was changed" in err.value.message
    assert any(c[0] == "backup" and 0 < c[1] < c[2] for c in watcher.calls)  # it failed part way
    assert not any(c[0] == "migrate" for c in watcher.calls)  # no migration without a backup
    assert _digest(old_db) == before and _state(old_db) == state
    assert _backup_folder_files(old_db) == []  # no half backup, listed or hidden
    assert not upgrade_progress.marker_path(old_db).exists()
    monkeypatch.setattr(dbmod, "connect", real_connect)  # space again: the next open does it
    opening.open_database(old_db, create=False).close()
    assert _state(old_db)[:2] == (schema.SCHEMA_VERSION, [])


def test_stopping_during_the_backup_changes_nothing_and_leaves_no_backup(old_db, monkeypatch):
    monkeypatch.setattr(backup, "PROGRESS_STEPS", 20)
    before, state = _digest(old_db), _state(old_db)
    with pytest.raises(upgrade_progress.UpdateStopped):
        opening.open_database(old_db, create=False, progress=Recorder(stop_at="backup"))
    assert _digest(old_db) == before and _state(old_db) == state
    assert _backup_folder_files(old_db) == []
    assert not upgrade_progress.marker_path(old_db).exists()


def test_stopping_during_the_migration_rolls_it_back_and_keeps_the_backup(old_db, monkeypatch):
    monkeypatch.setattr(opening, "STOP_CHECK_EVERY", 50)  # the index build of 300 cases is short
    state = _state(old_db)
    with pytest.raises(upgrade_progress.UpdateStopped):
        opening.open_database(old_db, create=False, progress=Recorder(stop_at="migrate"))
    assert _state(old_db) == state  # the index is the old one, m006 still pending
    names = _backup_folder_files(old_db)
    assert len(names) == 1 and names[0].endswith(backup.BACKUP_SUFFIX)  # the finished backup is kept
    opening.open_database(old_db, create=False).close()
    assert _state(old_db)[:2] == (schema.SCHEMA_VERSION, [])


# --------------------------------------------------------------------------- a second program meanwhile
HOLDER = textwrap.dedent("""
    import sys
    from radiculopathy_desktop.storage import upgrade_progress
    with upgrade_progress.updating_schema(sys.argv[1]):
        print("ready", flush=True)
        sys.stdin.read()  # until the test closes it
""")


@pytest.fixture
def updating_elsewhere(old_db):
    """Another process in the middle of the schema update (it holds the update marker)."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(old_db)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        yield proc
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)


@pytest.mark.skipif(sys.platform == "win32", reason="the marker is an flock (POSIX)")
def test_a_second_program_during_the_schema_update_is_told_and_changes_nothing(old_db, updating_elsewhere):
    before, state = _digest(old_db), _state(old_db)
    assert upgrade_progress.upgrade_running_elsewhere(old_db)
    with pytest.raises(StorageError) as err:
        opening.open_database(old_db, create=False)
    assert err.value.kind == "locked"
    assert err.value.message == upgrade_progress.BUSY_UPGRADING.format(path=old_db)
    assert _digest(old_db) == before and _state(old_db) == state and _backup_folder_files(old_db) == []


@pytest.mark.skipif(sys.platform == "win32", reason="the marker is an flock (POSIX)")
def test_the_second_command_exits_3_with_the_update_message(old_db, updating_elsewhere, run_cli, capsys):
    from radiculopathy_desktop import cli

    code = cli.main(["--data-dir", str(old_db.parent), "worklist", "--as-of", ANCHOR.isoformat()])
    err = capsys.readouterr().err
    assert code == 3
    assert "another Radiculopathy Desktop (a window or a command) is doing the one-time update" in err
    assert "Nothing was changed" in err
    assert _state(old_db)[1] == ["m006_status_counts", "m007_entry_order", "m008_scored_follow_up", "m009_patient_key",
                                 "m010_pregnancy", "m011_patient_key_turkish_i",
                                          "m012_medicine_alert_spans", "m013_derived_recompute_audit",
                                          "m014_clock_follow_up"] and _backup_folder_files(old_db) == []


@pytest.mark.skipif(sys.platform == "win32", reason="the marker is an flock (POSIX)")
def test_an_up_to_date_tracker_is_not_held_up_by_the_marker(old_db, run_cli, capsys):
    """Only an open that would update the schema heeds the marker: on a current tracker every
    command works as usual (the marker is a "busy" explanation, not a lock of its own)."""
    from radiculopathy_desktop import cli

    opening.open_database(old_db, create=False).close()  # current now
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(old_db)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        code = cli.main(["--data-dir", str(old_db.parent), "worklist", "--as-of", ANCHOR.isoformat()])
        out = capsys.readouterr().out
        assert code == 0 and out.strip()
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)


def test_the_update_holds_the_marker_while_it_runs(old_db):
    seen = []

    class Looking(Recorder):
        def step(self, name, done, total):
            super().step(name, done, total)
            if done == 0:  # a probe from another process sees the update running, at each step
                probe = subprocess.run([sys.executable, "-c", "import sys; from radiculopathy_desktop.storage "
                                        "import upgrade_progress as u; print(u.upgrade_running_elsewhere(sys.argv[1]))",
                                        str(old_db)], capture_output=True, text=True, check=True)
                seen.append((name, probe.stdout.strip()))

    opening.open_database(old_db, create=False, progress=Looking()).close()
    expected = "False" if sys.platform == "win32" else "True"
    assert seen == [("backup", expected), ("migrate", expected)]
    assert not upgrade_progress.upgrade_running_elsewhere(old_db)


# --------------------------------------------------------------------------- the command line
def test_the_command_line_says_each_step_on_stderr_a_line_every_tenth(old_db, run_cli, monkeypatch, capsys):
    from radiculopathy_desktop import cli

    monkeypatch.setattr(upgrade_progress, "SAY_FROM_BYTES", 0)  # a few hundred cases count as large here
    monkeypatch.setattr(backup, "PROGRESS_STEPS", 50)
    code = cli.main(["--data-dir", str(old_db.parent), "worklist", "--as-of", ANCHOR.isoformat()])
    err = capsys.readouterr().err
    assert code == 0, err
    lines = err.splitlines()
    first = lines.index("Making a safety copy of the tracker before updating it (1 of 3)...")
    assert lines[first - 1].startswith("Updating the tracker for this version of Radiculopathy Desktop (once")
    assert "left as it was" in lines[first - 1]
    done = lines.index("Making a safety copy of the tracker before updating it (1 of 3): done.")
    percents = lines[first + 1:done]
    assert percents, err
    values = [int(p.strip().rstrip(" %")) for p in percents]
    assert all(v % 10 == 0 for v in values) and values == sorted(set(values)) and len(values) <= 9, percents
    # three steps: the previous version's review facts (REVIEW_FACTS_VERSION 10) are rewritten too
    assert lines[done + 1:done + 3] == ["Updating the tracker (2 of 3)...", "Updating the tracker (2 of 3): done."]
    assert _state(old_db)[:2] == (schema.SCHEMA_VERSION, [])


def test_the_command_line_says_the_three_steps_in_the_window_s_words(old_db, run_cli, monkeypatch, capsys):
    """A tracker two versions old (schema and derived data): the command line numbers the steps
    as the one "Updating the tracker" window does, "(1 of 3)" ... "(3 of 3)", from the same words
    (ui13; before, "(1 of 2)", "(2 of 2)", then the rewrite without a number)."""
    from radiculopathy_desktop import cli

    conn = sqlite3.connect(old_db)
    conn.execute("DELETE FROM settings WHERE key = ?", (DERIVED_VERSION_KEY,))  # derived data of no version
    conn.commit()
    conn.close()
    monkeypatch.setattr(upgrade_progress, "SAY_FROM_BYTES", 0)  # a few hundred cases count as large here
    code = cli.main(["--data-dir", str(old_db.parent), "worklist", "--as-of", ANCHOR.isoformat()])
    err = capsys.readouterr().err
    assert code == 0, err
    steps = [line for line in err.splitlines() if not line.startswith("  ")]  # the percentages aside
    window = [upgrade_progress.step_title(name, 3) for name in upgrade_progress.STEPS]  # the window's step line
    assert window == ["Making a safety copy of the tracker before updating it (1 of 3)", "Updating the tracker (2 of 3)",
                      "Updating the stored worklist data (3 of 3)"]
    assert steps[0].startswith("Updating the tracker for this version of Radiculopathy Desktop (once")
    assert steps[1:7] == [f"{window[0]}...", f"{window[0]}: done.", f"{window[1]}...", f"{window[1]}: done.",
                          f"{window[2]}...", f"{window[2]}: done."], err
    assert "of every case" not in err  # the rewrite is said once, as step 3
    assert _state(old_db)[:2] == (schema.SCHEMA_VERSION, [])
    conn = sqlite3.connect(f"file:{old_db}?mode=ro", uri=True)
    try:
        assert conn.execute("SELECT 1 FROM settings WHERE key = ?", (DERIVED_VERSION_KEY,)).fetchone()
    finally:
        conn.close()


def test_the_command_line_says_nothing_for_a_small_tracker(old_db, run_cli, capsys):
    from radiculopathy_desktop import cli

    assert old_db.stat().st_size < upgrade_progress.SAY_FROM_BYTES
    code = cli.main(["--data-dir", str(old_db.parent), "worklist", "--as-of", ANCHOR.isoformat()])
    err = capsys.readouterr().err
    assert code == 0 and "tracker" not in err.lower(), err
    assert _state(old_db)[:2] == (schema.SCHEMA_VERSION, [])


def test_a_tracker_locked_by_another_writer_during_the_update_is_said_plainly_and_left_as_it_was(old_db):
    """Another program holds the write lock (a long save, a backup tool): the copy is made (a
    reader may read), the migration cannot write and is rolled back; the message is the plain
    "busy" one (this process's own update marker is gone by then, so it does not claim that
    another Radiculopathy Desktop is updating); the finished copy is kept; a later open does it."""
    state = _state(old_db)
    other = sqlite3.connect(old_db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StorageError) as err:
            opening.open_database(old_db, create=False, busy_timeout_ms=200)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert err.value.kind == "locked"
    assert "another program" in err.value.message and "one-time update" not in err.value.message
    assert "Nothing was changed" in err.value.message
    assert _state(old_db) == state
    assert len(_backup_folder_files(old_db)) == 1  # the checked copy made before is kept
    assert not upgrade_progress.marker_path(old_db).exists()
    opening.open_database(old_db, create=False).close()
    assert _state(old_db)[:2] == (schema.SCHEMA_VERSION, [])
