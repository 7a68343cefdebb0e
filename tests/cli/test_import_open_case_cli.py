"""`import` of a new case for a patient with an open case: refused unless --new-episode (gp14 G10),
on both engines, with the window's rule (``domain.episodes``).

G10: a new case for a patient who already had an open case made a second open episode
silently; the worklist showed two rows for one patient. The command now says which case is
open (its intake date and status) and imports nothing; ``--new-episode`` goes on
deliberately (a recurrence), says so and keeps it in the import's audit entry.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop.commands import tracker

from tests.helpers.cli_run import cli_runner, write_json

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import ANCHOR, case_dict  # noqa: E402


@pytest.fixture
def run(target, capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: ANCHOR)
    return cli_runner(capsys, *target)


def _file(tmp_path: Path, name: str, cases: list[dict]) -> str:
    return write_json(tmp_path, cases, f"{name}.json")


def _ids(run) -> list[str]:
    code, out, err = run("worklist", "--status", "all", "--as-of", ANCHOR.isoformat(), "--format", "json")
    assert code == 0, err
    return sorted(row["case_id"] for row in json.loads(out)["rows"])


def test_a_new_case_for_a_patient_with_an_open_case_needs_new_episode(run, tmp_path):
    first = case_dict("EX-FIRST", patient_id="P-7", name="Ann Able", care_start=ANCHOR - dt.timedelta(days=60))
    code, out, err = run("import", _file(tmp_path, "first", [first]))
    assert code == 0, err
    again = case_dict("EX-AGAIN", patient_id="P-7", name="Ann Able", care_start=ANCHOR - dt.timedelta(days=1))
    code, out, err = run("import", _file(tmp_path, "again", [again]))
    assert code == 2 and out == "", (out, err)
    assert "already has an open case" in err and "nothing was saved" in err and "--new-episode" in err
    intake = (ANCHOR - dt.timedelta(days=60)).isoformat()
    assert f"new case EX-AGAIN: patient P-7 already has an open case: case EX-FIRST (intake {intake}, status Needs follow-up)" \
        in err
    assert _ids(run) == ["EX-FIRST"]
    code, out, err = run("import", "--new-episode", _file(tmp_path, "again", [again]))
    assert code == 0 and "1 added" in out, err
    assert (f"New episode added while the patient had an open case (kept in the audit): case EX-AGAIN, patient P-7; "
            f"open: EX-FIRST (intake {intake}, Needs follow-up)") in out
    assert _ids(run) == ["EX-AGAIN", "EX-FIRST"]


def test_a_discharged_case_does_not_need_the_flag(run, tmp_path):
    first = case_dict("EX-FIRST", patient_id="P-7", name="Ann Able", care_start=ANCHOR - dt.timedelta(days=200),
                      decisions=[{"date": ANCHOR - dt.timedelta(days=100), "kind": "resolved_discharged",
                                  "acknowledged_red_flags": []}])
    assert run("import", _file(tmp_path, "first", [first]))[0] == 0
    again = case_dict("EX-AGAIN", patient_id="P-7", name="Ann Able", care_start=ANCHOR - dt.timedelta(days=1))
    code, out, err = run("import", _file(tmp_path, "again", [again]))
    assert code == 0 and "1 added" in out and "New episode" not in out, err
