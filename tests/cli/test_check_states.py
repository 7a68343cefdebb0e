"""`check` tells the states of a database apart (issue 11, section 4).

Before: a healthy database left with a hot journal by a crash was "damaged" (exit 3),
and a database from a newer version, another program's database or one missing a
table (or its audit triggers) was "ok"; a missing table made other commands stop with
exit 70; `check` on a pipe waited forever. Each state is made here as it happens in
a clinic: a writer killed mid-transaction, a newer app's version stamp, another
program's file, a table or trigger dropped by a database tool.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import fault_figures

from radiculopathy_desktop import cli
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage import health, schema
from radiculopathy_desktop.storage.paths import DB_FILENAME
from radiculopathy_desktop.storage.store import CaseStore

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "resources" / "examples").glob("*.json"))


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "data"
    with CaseStore.open(folder) as store:
        store.import_cases([parse_case(json.loads(p.read_text(encoding="utf-8"))) for p in EXAMPLES], user="test")
    return folder


@pytest.fixture
def run(capsys):
    def run(folder: Path, *args: str) -> tuple[int, str, str]:
        code = cli.main(["--data-dir", str(folder), *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return run


def _raw(folder: Path) -> sqlite3.Connection:
    return sqlite3.connect(str(folder / DB_FILENAME), isolation_level=None)


def _bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


#: What the tests below actually tried, recorded for the README fault table when
#: RADICULOPATHY_FAULT_FIGURES is set (tests/fault_figures.py, tests/fault_table.py).
TALLY = fault_figures.Tally("bad_databases")

_record_fault_figures = fault_figures.recorded_at_module_end(TALLY)


def test_a_healthy_database_is_ok(data_dir, run):
    assert run(data_dir, "check") == (0, "ok\n", "")
    assert run(data_dir, "check", "--full")[0] == 0


def _crash_mid_write(folder: Path) -> None:
    """A writer in rollback-journal mode killed with SIGKILL in the middle of a big change."""
    db = folder / DB_FILENAME
    conn = _raw(folder)
    assert conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
    conn.close()
    child = subprocess.Popen([sys.executable, "-c", (
        "import sqlite3, sys, time\n"
        f"c = sqlite3.connect({str(db)!r}, isolation_level=None)\n"
        "c.execute('PRAGMA cache_size = 1')\n"  # spill changed pages into the file before COMMIT
        "c.execute('BEGIN IMMEDIATE')\n"
        "for n in range(3000):\n"
        "    c.execute('INSERT INTO drafts (key, value_json, updated_at) VALUES (?, ?, ?)', "
        "(f'k{n}', 'x' * 500, 'now'))\n"
        "print('ready', flush=True)\n"
        "time.sleep(120)\n")], stdout=subprocess.PIPE)
    try:
        assert child.stdout.readline().strip() == b"ready"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()
    assert (folder / (DB_FILENAME + "-journal")).stat().st_size > 0  # the hot journal


def test_a_hot_journal_after_a_crash_is_needs_recovery_not_damaged(data_dir, run):
    _crash_mid_write(data_dir)
    before = _bytes(data_dir)
    code, out, err = run(data_dir, "check")
    assert code == 1, (out, err)
    assert "needs recovery (not damaged)" in out and "check --recover" in out
    assert "is damaged" not in out + err
    assert _bytes(data_dir) == before  # check alone never writes

    code, out, err = run(data_dir, "check", "--recover")
    assert code == 0, (out, err)
    assert out.startswith("recovered:") and out.rstrip().endswith("ok")
    assert not (data_dir / (DB_FILENAME + "-journal")).exists()
    with CaseStore.open(data_dir, create=False) as store:  # every case from before, none of the killed change
        assert store.case_count() == len(EXAMPLES)
        assert store._db.conn.execute("SELECT count(*) FROM drafts").fetchone()[0] == 0
    assert run(data_dir, "check")[0] == 0
    TALLY.add(bad_databases_tried=1)


def test_a_database_from_a_newer_version(data_dir, run):
    conn = _raw(data_dir)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.close()
    code, out, err = run(data_dir, "check")
    assert code == 3 and out == ""
    assert "newer version" in err and "Install the newer version" in err and "damaged" not in err
    TALLY.add(bad_databases_tried=1)


NOT_OURS = ("another_program", "random_bytes", "empty", "sqlite_no_tables")
MISSING_TABLES = ("drafts", "assessments", "decisions")
MISSING_TRIGGERS = ("audit_no_update", "audit_no_delete")
NOT_FOLDERS = ("file", "fifo", "device")


@pytest.mark.parametrize("content", NOT_OURS)
def test_a_file_that_is_not_ours(tmp_path, run, content):
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / DB_FILENAME
    if content == "another_program":
        conn = sqlite3.connect(str(db))
        conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
        conn.commit()
        conn.close()
    elif content == "random_bytes":
        db.write_bytes(os.urandom(8192))
    elif content == "empty":
        db.write_bytes(b"")
    else:
        conn = sqlite3.connect(str(db))
        conn.execute("PRAGMA user_version = 0")
        conn.execute("VACUUM")
        conn.close()
        db.write_bytes(db.read_bytes() or b"")
    code, out, err = run(folder, "check")
    assert code == 3, (out, err)
    assert "not a Radiculopathy Desktop database" in err and "Move that file aside" in err
    TALLY.add(bad_databases_tried=1)


@pytest.mark.parametrize("table", MISSING_TABLES)
def test_a_missing_table_is_exit_3_for_check_and_every_command(data_dir, run, table):
    conn = _raw(data_dir)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(f"DROP TABLE {table}")
    conn.close()
    code, out, err = run(data_dir, "check")
    assert code == 3 and f"missing table(s): {table}" in err and "restore" in err
    for argv in (["worklist"], ["case", "EX-ROUTINE-S1-DUE"], ["settings", "get"]):
        code, out, err = run(data_dir, *argv)
        assert code == 3, (argv, out, err)  # not 70 ("an unexpected problem")
        assert "damaged" in err and table in err and "unexpected" not in err
    TALLY.add(bad_databases_tried=1)


@pytest.mark.parametrize("trigger", MISSING_TRIGGERS)
def test_a_missing_audit_trigger_is_reported(data_dir, run, trigger):
    conn = _raw(data_dir)
    conn.execute(f"DROP TRIGGER {trigger}")
    conn.close()
    code, out, err = run(data_dir, "check")
    assert code == 3
    assert f"missing audit trigger(s): {trigger}" in err and "cannot be trusted" in err
    TALLY.add(bad_databases_tried=1)


def test_the_expected_schema_matches_the_required_tables():
    tables = {name for kind, name in health.expected_objects() if kind == "table"}
    assert tables == schema.REQUIRED_TABLES
    assert {("trigger", "audit_no_update"), ("trigger", "audit_no_delete")} <= health.expected_objects()


def _run_subprocess(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, RADICULOPATHY_DESKTOP_LOG_DIR=str(tmp_path / "logs"))
    return subprocess.run([sys.executable, "-m", "radiculopathy_desktop", *argv], capture_output=True, text=True,
                          timeout=120, env=env)


def test_check_on_a_pipe_or_a_device_does_not_hang(tmp_path):
    """A FIFO at the database path would block any open() until a writer comes: stat first."""
    folder = tmp_path / "data"
    folder.mkdir()
    os.mkfifo(folder / DB_FILENAME)
    done = _run_subprocess(tmp_path, "--data-dir", str(folder), "check")
    assert done.returncode == 2 and "a pipe (FIFO), not a database file" in done.stderr
    done = _run_subprocess(tmp_path, "--data-dir", str(folder), "worklist")
    assert done.returncode == 3 and "special file" in done.stderr
    TALLY.add(bad_databases_tried=1)


@pytest.mark.parametrize("what", NOT_FOLDERS)
def test_a_data_folder_that_is_not_a_folder_says_so(tmp_path, run, what):
    if what == "file":
        folder = tmp_path / "data"
        folder.write_text("not a folder")
        expected = "is a file, not a folder"
    elif what == "fifo":
        folder = tmp_path / "data"
        os.mkfifo(folder)
        expected = "is a pipe (FIFO), not a folder"
    else:
        folder = Path("/dev/null")
        expected = "is a device, not a folder"
    for argv in (["check"], ["worklist"], ["import", str(EXAMPLES[0])], ["settings", "get"]):
        code, out, err = run(folder, *argv)
        assert code == 2, (argv, out, err)
        assert expected in err and "Traceback" not in err
    TALLY.add(bad_databases_tried=1)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder")
def test_an_unreadable_data_folder_says_so(data_dir, run):
    data_dir.chmod(0o000)
    try:
        code, out, err = run(data_dir, "worklist")
        assert code == 2 and "may not read the data folder" in err
    finally:
        data_dir.chmod(0o700)
    TALLY.add(bad_databases_tried=1)
