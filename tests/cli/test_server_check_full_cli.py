"""`server check --full` lists the clinic server's stored names, identifiers and notes that
hold hidden characters, as the local `check --full` does, with the same lines (one scan,
``storage.stored_text``, for both engines), against the throwaway cluster (tests/pg_server.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from radiculopathy_desktop import cli
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage.pg.store import PgStore
from radiculopathy_desktop.storage.store import CaseStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import case_dict  # noqa: E402

ZALGO = "Ann" + "".join(chr(c) for c in range(0x0300, 0x0308)) + "X"


def _stored_cases():
    """Cases as an earlier version could store them (read without the new-input check)."""
    hostile_note = case_dict("C-NOTE", name="Nora Note", decisions=[
        {"date": "2026-05-01", "kind": "continue_conservative_care", "until": "2026-05-20",
         "by": "Dr Lee", "note": "see\x1b[31m"}])
    return [parse_case(d) for d in (
        case_dict("C-PLAIN", name="Zo\u00eb Bront\u00eb"),
        case_dict("C-RLO\u202e1", name="\u202eevil Sam", patient_id="P-ZW\u200b"),
        case_dict("C-ZALGO", name=ZALGO),
        case_dict("C-TYPED\\u202e", name="Typed Escape"),
        hostile_note,
    )]


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


def _warnings(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("warning: ")]


def test_server_check_full_lists_the_same_stored_fields_as_the_local_check(run, pg_database, tmp_path,
                                                                            monkeypatch):
    url = pg_database()
    with PgStore.open(url) as store:
        store.import_cases(_stored_cases(), user="test")
    code, out, err = run("server", "check", url)
    assert code == 0, (out, err)
    assert not _warnings(out) and "stored records" not in out  # the quick check reads no case
    code, out, err = run("server", "check", "--full", url)
    assert code == 0, (out, err)  # records to correct, the server itself sound: still 0
    server = _warnings(out)
    assert [line.split()[-3:] for line in out.splitlines() if line.startswith("stored records  ")] == [
        ["7", "to", "correct"]]
    joined = "\n".join(server)
    assert "case C-RLO\\u202e1: case_id holds U+202E RIGHT-TO-LEFT OVERRIDE" in joined
    assert "case C-RLO\\u202e1: patient.id holds U+200B ZERO WIDTH SPACE" in joined
    assert "case C-RLO\\u202e1: patient.name holds U+202E RIGHT-TO-LEFT OVERRIDE" in joined
    assert "case C-ZALGO: patient.name holds 8 combining marks on one letter (character 8)" in joined
    assert "case C-NOTE: decisions[0].note holds U+001B ESCAPE" in joined
    assert "C-PLAIN" not in joined  # a letter with its accent
    typed = [line for line in server if "C-TYPED" in line]  # a typed backslash: no hidden character, but an id
    assert [line.split(": ")[2] for line in typed] == ["case_id holds a backslash (\\) (character 8)",
                                                      "patient.id holds a backslash (\\) (character 10)"]
    assert all("a new ID may not hold it" in line and "U+" not in line for line in typed)  # rt12 F5
    assert "\u202e" not in out and "\x1b" not in out
    # the local file holding the same cases gives the same lines (one scan for both engines)
    data = tmp_path / "data"
    monkeypatch.setenv("RADICULOPATHY_DESKTOP_DATA_DIR", str(data))
    store = CaseStore.open(data)
    try:
        store.import_cases(_stored_cases())
    finally:
        store.close()
    code, out, err = run("--data-dir", str(data), "check", "--full")
    assert code == 0, (out, err)
    assert _warnings(out) == server


def test_server_check_full_on_a_clean_server_says_so(run, pg_database):
    url = pg_database()
    with PgStore.open(url) as store:
        store.import_cases([parse_case(case_dict("C-PLAIN", name="Zo\u00eb Bront\u00eb"))], user="test")
    code, out, err = run("server", "check", "--full", url)
    assert code == 0, (out, err)
    assert "no name, identifier or note holds a hidden character" in out and not _warnings(out)
