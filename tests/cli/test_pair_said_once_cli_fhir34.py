"""fhir34 (tryout33 F8) from the command line, on both engines: ibuprofen 3600 mg/day with lithium 400mg (T33-IBL)
was two Avoid alerts for one pair in `assess`, on the worklist ("AVOID +1": "Avoid: ibuprofen ... Avoid: ibuprofen and
lithium 400mg together") and in the FHIR export (a DRG, a COND repeating it, and a DOSEH "above this patient's maximum
of the maximum."). Now the pair is one alert and one DRG naming both medicines, and the dose is its own "Reduce dose"
and one DOSEH with its figure (H-MED-715, H-FMT-905, H-FMT-906)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from radiculopathy_desktop.commands import tracker
from helpers.cli_run import cli_runner, write_json

from .test_worklist_medicine_alerts_cli import TODAY, _case

IBL = [{"name": "ibuprofen", "daily_dose_mg": 3600}, {"name": "lithium 400mg", "daily_dose_mg": 800}]
AT_MAX = [{"name": "ibuprofen", "daily_dose_mg": 3200}, {"name": "lithium 400mg", "daily_dose_mg": 800}]


@pytest.fixture
def run(target, capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    runner = cli_runner(capsys, *target, fresh_output=True)
    cases = [_case("IBL", None, IBL), _case("IBL-MAX", None, AT_MAX)]
    code, _out, err = runner("import", write_json(tmp_path, {"cases": cases}, "cases.json"))
    assert code == 0, err
    return runner


def test_assess_worklist_and_fhir_say_the_pair_once_and_the_dose_once(run, tmp_path):
    code, out, err = run("case", "IBL")
    assert code == 0, err
    flat = " ".join(out.split())
    assert flat.count("NSAID with lithium") == 1 and "NSAIDs raise lithium levels" not in flat
    assert "REDUCE DOSE: Taking ibuprofen 3600 mg/day" in flat
    code, out, err = run("worklist", "--status", "all", "--format", "json")
    assert code == 0, err
    rows = {r["case_id"]: r for r in json.loads(out)["rows"]}
    assert [(a["status_label"], a["medicines"]) for a in rows["IBL"]["medicine_alerts"]] == [
        ("Avoid", ["ibuprofen", "lithium 400mg"]), ("Reduce dose", ["ibuprofen"])]
    # boundary: at the label maximum the pair alone
    assert [(a["status_label"], a["medicines"]) for a in rows["IBL-MAX"]["medicine_alerts"]] == [
        ("Avoid", ["ibuprofen", "lithium 400mg"])]
    out_file = tmp_path / "ibl.json"
    code, _out, err = run("export", "summary", "IBL", "--format", "fhir", "--out", str(out_file),
                          "--as-of", TODAY.isoformat())
    assert code == 0, err
    bundle = json.loads(out_file.read_text(encoding="utf-8"))
    from fhir.resources.R4B.bundle import Bundle

    Bundle.model_validate(bundle)
    names = {e["fullUrl"]: e["resource"]["medicationCodeableConcept"]["text"] for e in bundle["entry"]
             if e["resource"]["resourceType"] == "MedicationStatement"}
    issues = [(e["resource"]["code"]["coding"][0]["code"], e["resource"]["detail"],
               sorted(names[r["reference"]] for r in e["resource"].get("implicated", ())))
              for e in bundle["entry"] if e["resource"]["resourceType"] == "DetectedIssue"]
    assert sorted((code, names_) for code, _d, names_ in issues) == [
        ("DOSEH", ["ibuprofen"]), ("DRG", ["ibuprofen", "lithium 400mg"])]
    (dose,) = [d for code, d, _n in issues if code == "DOSEH"]
    assert "above this patient's maximum of 3200 mg/day." in dose and "of the maximum" not in dose
