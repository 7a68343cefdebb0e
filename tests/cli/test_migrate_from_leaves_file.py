"""`server migrate-from` leaves the local file exactly as it was (red-team rt12 F13): a tracker
written by the previous version (schema 5) used to be upgraded in place (a pre-update backup
beside it) while the command said "the local file is unchanged", and a refused move upgraded
it too. It is now read into a private copy that is removed afterwards. Against the
throwaway cluster (tests/pg_server.py)."""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

import pytest

import pg_server as pgs
from helpers.cli_run import cli_runner
from helpers.schema_v5 import make_version_5
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage.paths import DB_FILENAME
from radiculopathy_desktop.storage.pg.store import PgStore
from radiculopathy_desktop.storage.store import CaseStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import case_dict, file_state  # noqa: E402


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    """Where the copy is made: watched, so a copy left behind is seen."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _folder_state(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): file_state(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def _user_version(file: Path) -> int:
    """The schema version in the file's header (bytes 60-63), read without SQLite: a reader
    of a write-ahead-log file would leave its own -wal and -shm beside it."""
    return int.from_bytes(file.read_bytes()[60:64], "big")


def _older_tracker(folder: Path, *case_ids: str) -> Path:
    with CaseStore.open(folder) as local:
        local.import_cases([parse_case(case_dict(c)) for c in case_ids], user="dr.local")
    file = folder / DB_FILENAME
    make_version_5(file)
    return file


def test_an_older_tracker_is_moved_and_left_byte_for_byte_as_it_was(capsys, pg_database, tmp_path, private_tmp):
    run = cli_runner(capsys, fresh_output=True)
    folder = tmp_path / "ws"
    file = _older_tracker(folder, "OLD-1", "OLD-2")
    before = _folder_state(folder)
    code, out, err = run("server", "migrate-from", str(folder), "--server", pg_database(pgs.ADMIN_LOGIN))
    assert code == 0, err
    assert "moved: 2 cases" in out
    assert _user_version(file) == 5  # not upgraded in place
    assert _folder_state(folder) == before  # the file byte for byte, no backup beside it, nothing else
    assert "the local file is unchanged (read through a copy, which was removed; " in out
    assert list(private_tmp.iterdir()) == []
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as server:
        assert server.has_case("OLD-1") and server.has_case("OLD-2")

    # a second run is refused (the cases are on the server): the file is still untouched
    code, out, err = run("server", "migrate-from", str(file), "--server", pg_database(pgs.ADMIN_LOGIN))
    assert code == 2 and "Nothing was moved" in err
    assert _folder_state(folder) == before and _user_version(file) == 5
    assert list(private_tmp.iterdir()) == []


def test_a_file_of_a_newer_version_is_refused_naming_the_original(capsys, pg_database, tmp_path, private_tmp):
    run = cli_runner(capsys, fresh_output=True)
    folder = tmp_path / "ws"
    with CaseStore.open(folder) as local:
        local.import_cases([parse_case(case_dict("NEW-1"))], user="dr.local")
    file = folder / DB_FILENAME
    conn = sqlite3.connect(file)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = _folder_state(folder)
    code, out, err = run("server", "migrate-from", str(folder), "--server", pg_database(pgs.ADMIN_LOGIN))
    assert code != 0 and out == ""
    assert str(file) in err and "radiculopathy-migrate-" not in err
    assert _folder_state(folder) == before
    assert list(private_tmp.iterdir()) == []
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as server:
        assert not server.has_case("NEW-1")
