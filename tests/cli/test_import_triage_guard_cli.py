"""Red-team rt11 F1 and F13 as met at the command line: `import` of the urgent upper motor
neurone example with a normal examination is refused (the red flag named, the case still
Immediate); with `--replace-records` the replaced flag and a removed red-flag visit are
printed after the import."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.resources import resource_path

from helpers.cli_run import cli_runner, worklist_status, write_json

TODAY = dt.date(2026, 11, 29)


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    """Every command on a local data folder, today pinned (after the examples' intakes)."""
    monkeypatch.setenv("RADICULOPATHY_DESKTOP_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    return cli_runner(capsys, "--data-dir", str(tmp_path / "data"))


_write = write_json


def _status(run, case_id: str) -> str:
    return worklist_status(run, case_id, TODAY)


def test_an_examination_rewritten_to_normal_is_refused_then_named_when_replaced(run, tmp_path):
    example = resource_path("examples", "urgent_upper_motor_neurone_signs.json")
    code, _, err = run("import", str(example))
    assert code == 0, err
    data = json.loads(example.read_text(encoding="utf-8"))
    case_id = data["case_id"]
    assert _status(run, case_id) == "immediate"
    data["examination"].update({"plantar": "flexor", "reflexes": {"patellar": "normal", "achilles": "normal"}})
    code, out, err = run("import", _write(tmp_path, data, "normal.json"))
    assert code == 2 and out == ""
    assert f"case {case_id}: the file's intake no longer raises the red flag 'upper motor neurone signs" in err
    assert _status(run, case_id) == "immediate"
    code, out, err = run("import", _write(tmp_path, data, "normal.json"), "--replace-records")
    assert code == 0, err
    assert "Replaced at the intake (kept in the audit):" in out
    assert f"case {case_id}: red_flag_raised 'upper motor neurone signs" in out


def test_a_red_flag_visit_removed_on_purpose_is_named(run, tmp_path):
    example = resource_path("examples", "urgent_fever_at_follow_up_visit.json")
    code, _, err = run("import", str(example))
    assert code == 0, err
    data = json.loads(example.read_text(encoding="utf-8"))
    flagged = [v for v in data["visits"] if (v.get("red_flags") or {}).get("fever") == "yes"]
    assert flagged, "the example holds a visit answering fever yes"
    data["visits"] = [v for v in data["visits"] if v not in flagged]
    code, out, err = run("import", _write(tmp_path, data, "less.json"))
    assert code == 2 and "the file lacks 1 visit" in err
    code, out, err = run("import", _write(tmp_path, data, "less.json"), "--replace-records")
    assert code == 0, err
    assert "Removed from the tracker by --replace-records (kept in the audit):" in out
    assert f"case {data['case_id']}: the visit of {flagged[0]['date']} (red flags: " in out
