"""The import guards of red-team rt14, at the command line on both engines (the ``target``
fixture): F1 (a visit without `entry` added to an exported case on its decision's date is read
after the decision), F7 (`import --close-with-unanswered-red-flags`, as `decide` asks)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.resources import resource_path

from helpers.cli_run import cli_runner, worklist_status, write_json

TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def run(target, capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    return cli_runner(capsys, *target, fresh_output=True)


def _example(name: str) -> dict:
    return json.loads(resource_path("examples", name).read_text(encoding="utf-8"))


_write = write_json


def _status(run, case_id: str) -> str:
    return worklist_status(run, case_id, TODAY)


def test_f1_an_exported_decision_with_a_hand_added_same_day_visit_reads_immediate(run, tmp_path, target):
    """rt14 F1 as found: `case --format json` writes the decision's `entry`; the visit added
    by hand (no `entry`) reports the acknowledged flags again on the decision's date."""
    example = _example("urgent_suspected_malignancy.json")
    assert run("import", _write(tmp_path, example, "m.json"))[0] == 0
    code, out, err = run("decide", example["case_id"], "--kind", "continue", "--until", "2027-01-15",
                         "--date", "2026-11-20", "--acknowledge-red-flags")
    assert code == 0, err
    code, out, err = run("case", example["case_id"], "--format", "json")
    assert code == 0, err
    case = json.loads(out)["case"]
    assert case["decisions"][0]["entry"] >= 1
    case["visits"] = (case.get("visits") or []) + [
        {"date": "2026-11-20", "leg_nrs": 5, "red_flags": {"night_or_rest_pain": "yes", "unexplained_weight_loss": "yes"}}]
    # into another (empty) tracker: the same data folder or server database is not reusable, so a new case ID
    case["case_id"] = "RT14-F1-COPY"
    case["patient"]["id"] = "RT14-F1-PATIENT"
    code, out, err = run("import", _write(tmp_path, {"cases": [case]}, "f1.json"), "--acknowledge-red-flags")
    assert code == 0, err
    assert _status(run, "RT14-F1-COPY") == "immediate"


def test_f1_two_new_records_with_one_entry_are_refused(run, tmp_path):
    example = _example("urgent_suspected_malignancy.json")
    example["decisions"] = [{"date": "2026-11-20", "kind": "continue_conservative_care", "until": "2027-01-15",
                             "by": "Dr A", "acknowledged_red_flags": [], "entry": 5}]
    example["visits"] = [{"date": "2026-11-20", "leg_nrs": 5, "entry": 5}]
    code, out, err = run("import", _write(tmp_path, example, "tie.json"), "--acknowledge-red-flags")
    assert code == 2
    assert "the same entry order (5)" in err and "nothing was imported" in err


@pytest.mark.parametrize("stored_first", [False, True])
def test_f7_an_imported_discharge_over_unanswered_questions_needs_the_option(run, tmp_path, stored_first):
    example = _example("routine_ces_questions_unanswered.json")
    case_id = example["case_id"]
    if stored_first:
        assert run("import", _write(tmp_path, example, "plain.json"))[0] == 0
    example["decisions"] = [{"date": "2026-11-19", "kind": "resolved_discharged", "by": "Dr A",
                             "acknowledged_red_flags": []}]
    path = _write(tmp_path, example, "closing.json")
    code, out, err = run("import", path)
    assert code == 2
    assert "--close-with-unanswered-red-flags" in err and f"case {case_id}" in err
    assert "Saddle" in err and "2026-11-19" in err
    code, out, err = run("import", path, "--close-with-unanswered-red-flags")
    assert code == 0, err
    assert "Closed with cauda equina questions unanswered (kept in the audit):" in out
    assert case_id in out and "Saddle" in out
    assert _status(run, case_id) == "closed"


def _foot_drop_with_visit(on: str) -> dict:
    example = _example("urgent_foot_drop.json")
    example["red_flags"]["progressive_neurological_deficit"] = "no"  # Immediate on the MRC 2 grades alone
    example["visits"] = [{"date": on, "leg_nrs": 6, "power": {"ankle_dorsiflexion": 5, "great_toe_extension": 5,
                                                            "plantar_flexion": 5, "knee_extension": 5}}]
    return example


def test_f8_a_same_day_visit_grading_the_weak_muscles_5_is_refused_a_next_day_one_named(run, tmp_path):
    plain = _example("urgent_foot_drop.json")
    plain["red_flags"]["progressive_neurological_deficit"] = "no"
    case_id = plain["case_id"]
    assert run("import", _write(tmp_path, plain, "plain.json"))[0] == 0
    assert _status(run, case_id) == "immediate"
    code, out, err = run("import", _write(tmp_path, _foot_drop_with_visit("2026-11-20"), "same.json"))
    assert code == 2, out
    assert "grades ankle dorsiflexion MRC 5 where the tracker's record of the same date grades it 2" in err
    assert "grades great-toe extension MRC 5" in err
    assert _status(run, case_id) == "immediate"
    code, out, err = run("import", _write(tmp_path, _foot_drop_with_visit("2026-11-21"), "next.json"))
    assert code == 0, err
    assert "Changed in updated cases (kept in the audit):" in out
    assert "no longer Immediate" in out
    assert "ankle dorsiflexion 2 -> 5 at a visit on 2026-11-21 (MRC 2 on 2026-11-20)" in out


@pytest.mark.parametrize("left_out", ["absent", "null"])
def test_f5_a_re_import_leaving_the_pregnancy_out_is_refused_then_replaced_and_listed(run, tmp_path, left_out):
    example = _example("routine_med_pregnant_opioid.json")
    assert run("import", _write(tmp_path, example, "preg.json"))[0] == 0
    if left_out == "absent":
        del example["patient"]["pregnancy_weeks"]
    else:
        example["patient"]["pregnancy_weeks"] = None
    path = _write(tmp_path, example, "no-preg.json")
    code, out, err = run("import", path)
    assert code == 2
    assert f"case {example['case_id']}: the file leaves out the pregnancy of patient" in err and "24 weeks" in err
    code, out, err = run("import", path, "--replace-records")
    assert code == 0, err
    assert "Replaced at the intake (kept in the audit):" in out
    assert f"case {example['case_id']}: patient.pregnancy_weeks 24 -> no value" in out
