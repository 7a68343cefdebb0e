"""Red-team A3 on the command line: with cauda equina questions unanswered the URGENCY line says
INCOMPLETE and what to ask, never "Routine"; the JSON keeps tier "routine" and adds
screen_complete=false and must_ask (GIRFT suspected CES pathway: unanswered is not no)."""

from __future__ import annotations

import copy
import json

import pytest

from radiculopathy_desktop.cli import main
from radiculopathy_desktop.domain import vocabulary as V
from radiculopathy_desktop.resources import resource_path

BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))


def _write(tmp_path, name, answers):
    d = copy.deepcopy(BASE)
    d["case_id"] = name
    d["red_flags"].update(answers)
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(d), encoding="utf-8")
    return path


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("answers,must", [
    ({"saddle_anaesthesia": "unknown", "urinary_retention_or_incontinence": "unknown",
      "faecal_incontinence_or_loss_of_rectal_sensation": "unknown"}, "cauda equina questions"),
    ({k: "unknown" for k in V.RED_FLAG_QUESTIONS}, "red-flag questions"),
])
def test_urgency_line_says_incomplete_not_routine(tmp_path, capsys, profile, answers, must):
    path = _write(tmp_path, "CESUNK", answers)
    assert main(["assess", str(path), "--as-of", "2026-11-29", "--profile", profile]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith("URGENCY:"))
    assert line.startswith(f"URGENCY: INCOMPLETE: ask the {must} now") and "Routine" not in line
    assert "saddle numbness" in line
    assert main(["assess", str(path), "--as-of", "2026-11-29", "--profile", profile, "--format", "json"]) == 0
    t = json.loads(capsys.readouterr().out)["triage"]
    assert t["tier"] == "routine" and t["screen_complete"] is False and "saddle_anaesthesia" in t["must_ask"]


def test_a_complete_screen_still_prints_routine(tmp_path, capsys):
    path = _write(tmp_path, "DONE", {})
    assert main(["assess", str(path), "--as-of", "2026-11-29"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("URGENCY:"))
    assert line.startswith("URGENCY: Routine")
