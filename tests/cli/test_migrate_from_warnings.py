"""`server migrate-from` says which records it moved that `check --full` lists as to correct
(rt11 F13): hidden characters in a name, an age contradicting the birth date. They are moved
as they are (the SHA-256 check still holds) and the warnings are the very lines `check --full`
prints for the local file. Against the throwaway cluster (tests/pg_server.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import pg_server as pgs
from radiculopathy_desktop import cli
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage.pg.store import PgStore
from radiculopathy_desktop.storage.store import CaseStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import case_dict  # noqa: E402


@pytest.fixture
def run(capsys):
    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = cli.main(list(args))
        except SystemExit as exc:
            code = exc.code
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return run


def _stored_as_an_earlier_version_did(folder: Path) -> None:
    """Records new input refuses, kept by the store as a version before those checks kept them."""
    hidden = case_dict("HID-1", name="Lee\u200bExample\u202e")
    clash = case_dict("AGE-1")
    clash["patient"]["birth_date"] = "1950-01-01"  # 76 on the intake date, typed age 45
    with CaseStore.open(folder) as local:
        local.import_cases([parse_case(hidden), parse_case(clash), parse_case(case_dict("CLEAN-1"))],
                           user="earlier version")


def test_migrate_from_lists_the_records_check_full_would_warn_about(run, pg_database, tmp_path):
    folder = tmp_path / "ws1"
    _stored_as_an_earlier_version_did(folder)
    code, out, _ = run("--data-dir", str(folder), "check", "--full")
    assert code == 0
    expected = [line for line in out.splitlines() if line.startswith("warning: ")]
    assert any("HID-1" in line for line in expected) and any("AGE-1" in line for line in expected)

    code, out, err = run("server", "migrate-from", str(folder), "--server", pg_database(pgs.ADMIN_LOGIN),
                         "--user", "it.lead")
    assert code == 0, err
    assert "moved: 3 cases" in out and "SHA-256" in out  # moved as they are
    lines = err.splitlines()
    assert lines[0] == (f"warning: {len(expected)} stored record(s) that `check --full` lists as to correct were "
                        "moved as they are; correct them on the server (open each case and fix the field named):")
    assert lines[1:] == expected  # the same check's lines, not a copy of it
    assert "\u200b" not in err and "\u202e" not in err  # shown escaped on the terminal
    assert not any("CLEAN-1" in line for line in lines)
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as server, CaseStore.open(folder) as local:
        assert server.get_case("HID-1") == local.get_case("HID-1")
        assert server.get_case("AGE-1").patient.age_years == 45


def test_a_clean_tracker_moves_without_a_warning(run, pg_database, tmp_path):
    with CaseStore.open(tmp_path / "ws2") as local:
        local.import_cases([parse_case(case_dict("CLEAN-2"))], user="dr.local")
    code, out, err = run("server", "migrate-from", str(tmp_path / "ws2"), "--server", pg_database(pgs.ADMIN_LOGIN))
    assert code == 0, err
    assert "moved: 1 cases" in out
    assert "warning" not in out + err
