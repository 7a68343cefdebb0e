"""An NSAID without a row of its own taken above its label maximum reaches every command-line
surface, and one whose dose was not checked says so (nsaiddose; H-MED-459, H-MED-460).

The reviewer's repro: resources/examples/routine_l5_acute.json with "Meloxicam 15mg bd" (30 mg a
day; meloxicam-label: "The maximum recommended daily oral dose of meloxicam is 15 mg regardless of
formulation") showed no "Reduce dose" in `assess --format text`; the same for "ketorolac 30mg
qds" (120 mg; ketorolac-tablets-label: not to exceed 40 mg in 24 hours) and "celecoxib 400mg bd"
(800 mg; celecoxib-label: 200 mg twice daily after the first day).
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from helpers.cli_run import cli_runner, write_json
from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.resources import resource_path

from .test_own_opioid_mme_cli import TODAY, _case

AS_OF = ("--as-of", "2026-11-25")


def _example(tmp_path, medicines, name="case.json"):
    d = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))
    d["medicines"] = medicines
    return write_json(tmp_path, d, name)


@pytest.mark.parametrize("typed, words", [
    ("Meloxicam 15mg bd", "meloxicam 15mg bd 30 mg/day is above the label maximum of 15 mg of meloxicam a day"),
    ("ketorolac 30mg qds", "ketorolac 30mg qds 120 mg/day is above the label maximum of 40 mg of ketorolac a day"),
    ("celecoxib 400mg bd", "celecoxib 400mg bd 800 mg/day is above the label maximum of 400 mg of celecoxib a day"),
])
def test_the_reviewers_repro_now_says_reduce_dose(target, capsys, tmp_path, typed, words):
    run = cli_runner(capsys, *target, fresh_output=True)
    code, out, err = run("assess", _example(tmp_path, [{"name": typed}]), "--format", "text", *AS_OF)
    assert code == 0, err
    flat = " ".join(out.split())
    assert f"!! REDUCE DOSE: {words}" in flat
    assert "Review: " in flat and "reduce dose (see the medicine alerts)" in flat


def test_at_the_maximum_no_alert_and_an_unchecked_nsaid_is_said(target, capsys, tmp_path):
    run = cli_runner(capsys, *target, fresh_output=True)
    code, out, err = run("assess", _example(tmp_path, [{"name": "meloxicam 15mg od"}]), "--format", "text", *AS_OF)
    assert code == 0, err
    assert "REDUCE DOSE" not in out and "Dose not checked" not in out
    code, out, err = run("assess", _example(tmp_path, [{"name": "aceclofenac 100mg bd"}], "b.json"), "--format", "text",
                         *AS_OF)
    assert code == 0, err
    flat = " ".join(out.split())
    assert ("! CAUTION: Dose not checked: aceclofenac 100mg bd: this tool holds no label maximum for aceclofenac" in flat)
    code, out, err = run("assess", _example(tmp_path, [{"name": "aceclofenac 100mg bd"}], "c.json"), "--format", "json",
                         *AS_OF)
    assert code == 0, err
    notes = json.loads(out)["medications"]["current_notes"]
    assert any(n["rule"] == "dose-not-checked" and n["severity"] == "caution" for n in notes)


def test_uk_profile_diclofenac_above_150(target, capsys, tmp_path):
    run = cli_runner(capsys, *target, fresh_output=True)
    case = _example(tmp_path, [{"name": "diclofenac 50mg qds"}])
    code, out, err = run("assess", case, "--format", "text", "--profile", "uk", *AS_OF)
    assert code == 0, err
    assert "diclofenac 50mg qds 200 mg/day is above the label maximum of 150 mg of diclofenac a day" in " ".join(out.split())
    code, out, err = run("assess", case, "--format", "text", *AS_OF)
    assert code == 0, err
    assert "REDUCE DOSE" not in out  # 200 mg: the US labels' maximum


def test_worklist_csv_and_fhir_carry_the_reduce_dose(target, capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    run = cli_runner(capsys, *target, fresh_output=True)
    cases = [_case("MELOX", [{"name": "Meloxicam 15mg bd"}]), _case("MELOX-OK", [{"name": "meloxicam 7.5mg bd"}])]
    code, _out, err = run("import", write_json(tmp_path, {"cases": cases}, "cases.json"))
    assert code == 0, err
    code, out, err = run("worklist", "--status", "all", "--format", "csv", "--as-of", TODAY.isoformat())
    assert code == 0, err
    by_id = {r["case_id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert by_id["MELOX"]["medicine_alerts"].startswith("Reduce dose: meloxicam 15mg bd."), by_id["MELOX"]
    assert "meloxicam" not in by_id["MELOX-OK"]["medicine_alerts"]
    fhir = tmp_path / "s.json"
    code, _out, err = run("export", "summary", "MELOX", "--format", "fhir", "--out", str(fhir), "--as-of",
                          TODAY.isoformat())
    assert code == 0, err
    bundle = json.loads(fhir.read_text(encoding="utf-8"))
    details = [e["resource"].get("detail", "") for e in bundle["entry"] if e["resource"]["resourceType"] == "DetectedIssue"]
    assert any("above the label maximum of 15 mg of meloxicam a day" in d for d in details), details
