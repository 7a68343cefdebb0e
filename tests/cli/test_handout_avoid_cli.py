"""`handout` for a medicine taken now that the check rates AVOID, a sheet left out, and a starting
dose with CKD and no creatinine (red-team rt11 F3, F5): what the clinician is told on stderr.

- Ultram label: tramadol with an SSRI (sertraline) risks serotonin syndrome; the engine rates it
  avoid. The command used to drop the opioid sheet and say nothing.
- AGS Beers Criteria 2023: skeletal muscle relaxants are avoided at 65 and over.
- Ultram label: the dose is limited when creatinine clearance is below 30 mL/min; with CKD
  recorded and no creatinine the maximum cannot be checked before starting.
"""

from __future__ import annotations

import copy
import json

import pytest

from helpers.cli_run import cli_runner
from helpers.pdf_text import pdf_words as _text
from radiculopathy_desktop.commands import tracker

from .test_handout_as_of_cli import ROUTINE, TODAY


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    return cli_runner(capsys, "--data-dir", str(tmp_path / "data"), fresh_output=True)


def _import(run, tmp_path, case_id, meds, conditions=None, patient=None, tried=None):
    d = copy.deepcopy(json.loads(ROUTINE.read_text(encoding="utf-8")))
    d["case_id"] = case_id
    d["patient"]["id"] = "P-" + case_id
    d["patient"].update(patient or {})
    d["medicines"] = meds
    d["conditions"] = conditions if conditions is not None else {
        **d.get("conditions", {}), "serum_creatinine": {"value": 1.0, "unit": "mg/dL"}}
    if tried is not None:
        d["treatments_tried"] = [dict(t, started=d["visit_date"]) for t in tried]
    f = tmp_path / f"{case_id}.json"
    f.write_text(json.dumps(d), encoding="utf-8")
    assert run("import", str(f))[0] == 0


def test_tramadol_with_sertraline_keeps_its_sheet_and_stderr_names_the_avoid(run, tmp_path):
    _import(run, tmp_path, "EX-TRAM-SERT", [{"name": "tramadol", "daily_dose_mg": 200},
                                            {"name": "sertraline", "daily_dose_mg": 100}])
    out = tmp_path / "ts.pdf"
    code, _, err = run("handout", "EX-TRAM-SERT", "--out", str(out))
    assert code == 0
    assert "med_opioid: taken now (tramadol 200 mg a day) although the medicine check rates it AVOID for this " \
           "patient (Taking sertraline" in err and "serotonin syndrome" in err
    text = _text(out)
    assert "You take tramadol 200 mg a day. Ask your clinician before your next dose whether to keep taking it: " \
           "it should not be taken with your sertraline." in text
    assert "Do not stop it suddenly." in text and "tramadol 200 mg a day, as prescribed" not in text


def test_a_default_sheet_left_out_is_named_with_why(run, tmp_path):
    _import(run, tmp_path, "EX-OLD-MR", [], patient={"birth_date": "1950-01-01", "age_years": None},
            conditions={"falls_history": True, "serum_creatinine": {"value": 1.0, "unit": "mg/dL"}},
            tried=[{"code": "muscle_relaxant"}])
    code, _, err = run("handout", "EX-OLD-MR", "--out", str(tmp_path / "old.pdf"))
    assert code == 0
    assert "med_muscle_relaxant: not printed, although the patient was given this kind of medicine: the medicine " \
           "check rates it AVOID for this patient (" in err


def test_ckd_without_creatinine_the_starting_opioid_sheet_and_stderr_say_the_kidneys_were_not_checked(run, tmp_path):
    _import(run, tmp_path, "EX-CKD-NEW", [], conditions={"ckd": True})
    out = tmp_path / "k.pdf"
    code, _, err = run("handout", "EX-CKD-NEW", "--sheets", "med_opioid", "--out", str(out))
    assert code == 0
    assert "med_opioid: the kidney maximum was not checked (no creatinine recorded)" in err
    assert "Before you start it, ask your clinician whether it is safe for your kidneys" in _text(out)
