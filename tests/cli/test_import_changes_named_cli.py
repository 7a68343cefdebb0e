"""`import` names what a re-import changes behind the medicine alerts and the red-flag status
(closing note 9, red-team rt12 F14), on both engines: the intake's medicines and conditions,
a red flag cleared by a visit the file adds (and the case leaving Immediate); a visit of the
intake's own date answering its "yes" with "no", and a lost medicine alert, are refused
without --replace-records. The clinical figures are those of
tests/storage/test_import_changes_named.py (gabapentin's US label renal table)."""

from __future__ import annotations

import datetime as dt
import json

from radiculopathy_desktop.resources import resource_path

from helpers.cli_run import cli_runner

CES_EXAMPLE = "emergency_cauda_equina.json"


def _run(capsys, target):
    return cli_runner(capsys, *target, fresh_output=True)


def _write(tmp_path, data: dict, name: str) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def _status(run, case_id: str) -> str:
    code, out, err = run("worklist", "--status", "all", "--format", "json")
    assert code == 0, err
    return {r["case_id"]: r["status"] for r in json.loads(out)["rows"]}[case_id]


def test_a_same_day_no_is_refused_and_a_later_re_screen_is_named(capsys, target, tmp_path):
    run = _run(capsys, target)
    example = resource_path("examples", CES_EXAMPLE)
    code, _, err = run("import", str(example))
    assert code == 0, err
    data = json.loads(example.read_text(encoding="utf-8"))
    case_id, intake = data["case_id"], data["visit_date"]
    assert _status(run, case_id) == "immediate"
    answers = {"saddle_anaesthesia": "no", "urinary_retention_or_incontinence": "no", "bilateral_leg_symptoms": "no"}
    data["visits"] = [{"date": intake, "leg_nrs": 6, "red_flags": answers}]
    code, out, err = run("import", _write(tmp_path, data, "same_day.json"))
    assert code == 2 and out == ""
    assert f"case {case_id}: a visit the file adds on {intake} answers no to the red flag(s)" in err
    assert _status(run, case_id) == "immediate"
    later = (dt.date.fromisoformat(intake) + dt.timedelta(days=1)).isoformat()
    data["visits"][0]["date"] = later
    code, out, err = run("import", _write(tmp_path, data, "next_day.json"))
    assert code == 0, err
    assert "0 added, 1 updated" in out
    assert "Changed in updated cases (kept in the audit):" in out
    assert f"case {case_id}: no longer Immediate on " in out
    assert f"(yes on {intake}) answered no at a visit on {later}" in out
    assert _status(run, case_id) != "immediate"


def _renal(dose: float) -> dict:
    data = json.loads(resource_path("examples", "routine_s1_follow_up_due.json").read_text(encoding="utf-8"))
    data["patient"].update({"weight_kg": 70, "sex": "female"})
    data["patient"].pop("birth_date", None)
    data["patient"]["age_years"] = 45
    data["conditions"] = {"serum_creatinine": {"value": 3.0, "unit": "mg/dL"}}
    data["medicines"] = [{"name": "gabapentin", "daily_dose_mg": dose}]
    return data


def test_medicine_changes_are_printed_and_a_lost_alert_refused(capsys, target, tmp_path):
    run = _run(capsys, target)
    data = _renal(1800)
    code, _, err = run("import", _write(tmp_path, data, "first.json"))
    assert code == 0, err
    case_id = data["case_id"]
    code, out, err = run("import", _write(tmp_path, _renal(900), "lower.json"))  # still over 700: the alert stands
    assert code == 0, err
    assert f"case {case_id}: medicines: dose of gabapentin 1800 -> 900 mg/day" in out
    code, out, err = run("import", _write(tmp_path, _renal(600), "under.json"))
    assert code == 2 and out == ""
    assert f"case {case_id}: the file's intake no longer raises the medicine alert 'REDUCE DOSE: gabapentin'" in err
    code, out, err = run("import", _write(tmp_path, _renal(600), "under.json"), "--replace-records")
    assert code == 0, err
    assert "Replaced at the intake (kept in the audit):" in out
    assert f"case {case_id}: medicine_alert 'REDUCE DOSE: gabapentin' -> no value" in out
    assert f"case {case_id}: medicines: dose of gabapentin 900 -> 600 mg/day" in out
