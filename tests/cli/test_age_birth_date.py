"""A typed age that contradicts the birth date (red-team rt5 F3, hazard H-TRI-62).

New input (`import`, `assess`) is refused, exit 2, naming `patient.age_years` and both
ages in the window's words, and nothing is written. A case stored before that check stays
readable and usable (`case`, `visit`, `worklist`, a backup and restore, `server
migrate-from`); `check --full` lists it as a warning naming the case id, on the terminal
only, never in the log."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from helpers.cli_run import cli_runner
from radiculopathy_desktop import cli
from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.domain.intake import age_disagreement, parse_case
from radiculopathy_desktop.storage.store import CaseStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import ANCHOR, case_dict, file_state  # noqa: E402

D = dt.timedelta
VISIT = dt.date(2026, 4, 12)  # the intake visit: on or before the pinned today (ANCHOR, 2026-06-01)


def _case(case_id: str, birth: str | None, age: int | None, visit: dt.date = VISIT) -> dict:
    data = case_dict(case_id, care_start=visit)
    data["onset_date"] = (visit - D(days=7)).isoformat()
    data["patient"] = {k: v for k, v in {**data["patient"], "birth_date": birth, "age_years": age}.items()
                       if v is not None}
    return data


@pytest.fixture
def env(tmp_path, monkeypatch, capsys):
    """(run, data folder, log folder): the whole CLI, today pinned to ANCHOR."""
    data, logs = tmp_path / "data", tmp_path / "logs"
    monkeypatch.setenv("RADICULOPATHY_DESKTOP_LOG_DIR", str(logs))
    monkeypatch.setattr(tracker, "today", lambda: ANCHOR)
    return cli_runner(capsys, "--data-dir", str(data)), data, logs


def _file(tmp_path: Path, *cases: dict) -> Path:
    path = tmp_path / "cases.json"
    path.write_text(json.dumps({"cases": list(cases)}), encoding="utf-8")
    return path


def test_import_refuses_an_age_contradicting_the_birth_date_naming_the_field_and_both_ages(env, tmp_path):
    run, data, _ = env
    assert run("import", str(_file(tmp_path, _case("OK-1", "1980-03-01", 46))))[0] == 0
    before = file_state(data / "radiculopathy.sqlite3")
    code, out, err = run("import", str(_file(tmp_path, _case("OK-2", None, 50), _case("RT5-AGE", "1980-03-01", 67))))
    assert code == 2 and out == ""
    window = age_disagreement(dt.date(1980, 3, 1), 67, VISIT)  # the words the window's patient page shows
    assert "the birth date makes the patient 46 on 2026-04-12, but the age typed is 67" in window
    assert f"case 2 (case_id RT5-AGE): patient.age_years: {window}" in err
    assert "nothing was imported" in err
    assert file_state(data / "radiculopathy.sqlite3") == before


def test_import_into_no_database_creates_none(env, tmp_path):
    run, data, _ = env
    code, _, err = run("import", str(_file(tmp_path, _case("RT5-AGE", "1980-03-01", 67))))
    assert code == 2 and "patient.age_years" in err
    assert not (data / "radiculopathy.sqlite3").exists()


def test_assess_refuses_it_too(env, tmp_path):
    run, _, _ = env
    path = tmp_path / "one.json"
    path.write_text(json.dumps(_case("RT5-AGE", "1980-03-01", 67)), encoding="utf-8")
    code, out, err = run("assess", str(path), "--format", "json")
    assert code == 2 and out == ""
    assert f"patient.age_years: {age_disagreement(dt.date(1980, 3, 1), 67, VISIT)}" in err
    path.write_text(json.dumps(_case("RT5-AGE", "1980-03-01", 46)), encoding="utf-8")
    code, out, err = run("assess", str(path), "--format", "json")
    assert code == 0 and json.loads(out)["patient"]["age"] == 46, err


@pytest.mark.parametrize("birth, visit, accepted, refused", [
    ("1976-04-12", dt.date(2026, 4, 12), 50, 49),   # the 50th birthday is the intake day
    ("1976-04-13", dt.date(2026, 4, 12), 49, 50),   # the day before it
    ("1976-02-29", dt.date(2026, 2, 28), 49, 50),   # born on 29 February: still 49 on 28 February
    ("1976-02-29", dt.date(2026, 3, 1), 50, 49),    # ... and 50 from 1 March
    ("1980-02-29", dt.date(2024, 2, 29), 44, 43),   # a leap-year birthday on the day
])
def test_birthday_and_29_february_boundaries_on_import(env, tmp_path, birth, visit, accepted, refused):
    run, _, _ = env
    code, out, err = run("import", str(_file(tmp_path, _case("B-1", birth, refused, visit))))
    assert code == 2 and f"the age typed is {refused}" in err and f"makes the patient {accepted}" in err
    code, out, err = run("import", str(_file(tmp_path, _case("B-1", birth, accepted, visit))))
    assert code == 0 and "1 added" in out, err


def test_only_one_of_age_and_birth_date_is_never_a_clash(env, tmp_path):
    run, _, _ = env
    code, out, err = run("import", str(_file(tmp_path, _case("A-1", None, 67), _case("A-2", "1980-03-01", None))))
    assert code == 0 and "2 added" in out, err


def _store_a_clash_as_an_earlier_version_did(data: Path) -> None:
    """Stored without the check (the case as an earlier version's import kept it)."""
    with CaseStore.open(data) as store:
        store.import_cases([parse_case(_case("OLD-1", "1980-03-01", 67)), parse_case(_case("OLD-2", None, 60))],
                           user="earlier version")


def test_a_stored_clash_stays_usable_and_check_full_names_it_on_the_terminal_only(env, tmp_path):
    run, data, logs = env
    _store_a_clash_as_an_earlier_version_did(data)
    code, out, err = run("case", "OLD-1")
    assert code == 0 and "46 y at intake" in out, err  # the birth date is used, as before
    code, out, err = run("visit", "OLD-1", "--date", ANCHOR.isoformat(), "--leg-nrs", "3")
    assert code == 0, err
    assert run("worklist", "--format", "json")[0] == 0
    code, out, err = run("check")
    assert code == 0 and "warning" not in out + err  # the quick check reads no records
    code, out, err = run("check", "--full")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "ok" and lines[1] == "stored records to correct (the database itself is sound):"
    warning = [line for line in lines if line.startswith("warning:")]
    assert warning == [f"warning: case OLD-1: patient.age_years: {age_disagreement(dt.date(1980, 3, 1), 67, VISIT)}. "
                       "Stored before new cases were checked for this: correct it in the case's record."]
    logged = "".join(p.read_text(encoding="utf-8", errors="replace") for p in logs.rglob("*") if p.is_file())
    assert "OLD-1" not in logged and "P-OLD-1" not in logged


def test_a_backup_of_a_stored_clash_restores_and_is_still_listed(env, tmp_path):
    run, data, _ = env
    _store_a_clash_as_an_earlier_version_did(data)
    code, out, err = run("backup")
    assert code == 0, err
    backup = out.splitlines()[0].removeprefix("backup: ")
    code, out, err = run("restore", backup, "--yes")
    assert code == 0, err
    code, out, err = run("case", "OLD-1")
    assert code == 0, err
    code, out, _ = run("check", "--full")
    assert code == 0 and "warning: case OLD-1: patient.age_years" in out


def test_check_full_lists_at_most_fifty_and_counts_the_rest(env):
    run, data, _ = env
    with CaseStore.open(data) as store:
        store.import_cases([parse_case(_case(f"M-{n:03d}", "1980-03-01", 67)) for n in range(53)], user="earlier")
    code, out, _ = run("check", "--full")
    assert code == 0
    assert sum(line.startswith("warning: case M-") for line in out.splitlines()) == 50
    assert "warning: ... and 3 more case(s) whose age contradicts the birth date" in out


def test_server_migrate_from_moves_a_stored_clash_unchanged(env, pg_database):
    import pg_server as pgs
    from radiculopathy_desktop.storage.pg.store import PgStore

    run, data, _ = env
    _store_a_clash_as_an_earlier_version_did(data)
    code, out, err = cli.main(["server", "migrate-from", str(data), "--server", pg_database(pgs.ADMIN_LOGIN),
                               "--user", "it.lead"]), None, None
    assert code == 0
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as server, CaseStore.open(data) as local:
        assert server.get_case("OLD-1") == local.get_case("OLD-1")
        assert server.get_case("OLD-1").patient.age_years == 67


def test_check_full_lists_it_in_a_database_this_version_has_not_upgraded_yet(env):
    """`check` never writes: a database from an earlier version (a migration pending) is
    checked as it is, its stored ages too."""
    import sqlite3

    from radiculopathy_desktop.storage import schema

    run, data, _ = env
    _store_a_clash_as_an_earlier_version_did(data)
    conn = sqlite3.connect(data / "radiculopathy.sqlite3")
    last = conn.execute(f"SELECT rowid FROM [{schema.MIGRATIONS_TABLE}] ORDER BY rowid DESC LIMIT 1").fetchone()[0]
    conn.execute(f"DELETE FROM [{schema.MIGRATIONS_TABLE}] WHERE rowid = ?", (last,))  # as if not yet applied
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION - 1}")
    conn.commit()
    conn.close()
    code, out, err = run("check", "--full")
    assert code == 0, err
    assert out.startswith("ok (an older schema") and "warning: case OLD-1: patient.age_years" in out
